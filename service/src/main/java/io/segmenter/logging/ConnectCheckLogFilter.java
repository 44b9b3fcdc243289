package io.segmenter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.segmenter.service.Reachability;
import org.slf4j.Marker;

/**
 * Drops the warnings of the reachability check's own Kafka client (client.id
 * {@value Reachability#CHECK_CLIENT_ID}): against a broker that does not answer, its NetworkClient
 * warns "Connection to node -1 ... could not be established" several times a second, and the check
 * then says the same once, naming the address and what to check. Errors (a refused authentication)
 * still pass, and everything passes under {@code --verbose}. Kafka's LogContext puts
 * "[AdminClient clientId=...]" into the message pattern, which is what this filter looks at.
 */
public final class ConnectCheckLogFilter extends TurboFilter {
  private static final String CLIENT = "clientId=" + Reachability.CHECK_CLIENT_ID + "]";
  private static volatile boolean showAll;

  /** Let every line through (the CLI's --verbose). */
  public static void showAll(boolean on) {
    showAll = on;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (showAll || format == null || level == null || level.isGreaterOrEqual(Level.ERROR)) return FilterReply.NEUTRAL;
    if (logger.getName().startsWith("org.apache.kafka.") && format.contains(CLIENT)) return FilterReply.DENY;
    return FilterReply.NEUTRAL;
  }
}
