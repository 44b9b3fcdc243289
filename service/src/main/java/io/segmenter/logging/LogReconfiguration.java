package io.segmenter.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback again from the same configuration file (the shipped logback.xml, or
 * -Dlogback.configurationFile), so that system properties set since it first configured take effect.
 * The demo needs it: it names its log file in a system property (segmenter.log.file) that the
 * configuration reads once, and building the command line may already have started Logback (any
 * class that touches Kafka's settings classes, whose static loggers do).
 */
public final class LogReconfiguration {
  private LogReconfiguration() { }

  /** Reconfigures Logback; does nothing when SLF4J is bound to another backend. */
  public static void reconfigure() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    context.reset();
    try {
      new ContextInitializer(context).autoConfig();
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure the log again: " + e.getMessage(), e);
    }
  }
}
