package io.segmenter.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * The encoder of the service's log (see logback.xml): plain lines by default, or one JSON object a
 * line when {@value #VARIABLE} is {@code json}, chosen when logging starts. logback.xml hands it the
 * variable's value; Logback finds it among the system properties, then the environment.
 *
 * <p>The variable is not a {@code SEGMENTER_*} one because those name settings, and a name that
 * maps to no setting stops {@code run}. Since a variable this generic may be set for some other
 * program in the same environment, a value other than {@code plain} or {@code json} does not stop
 * the service and does not lose its log: lines are plain, and the first one, a WARN, says why.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {
  /** The variable (environment, or system property) that chooses the format. */
  public static final String VARIABLE = "LOG_FORMAT";

  private String format;
  private String pattern;
  private Encoder<ILoggingEvent> chosen;
  /** Set when the format was not understood: the first line of the log. */
  private String warning;

  /** {@code plain} (also when empty) or {@code json}, in any case; anything else is logged as plain. */
  public void setFormat(String format) {
    this.format = format;
  }

  /** The layout of a plain line (Logback's pattern syntax). */
  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public void start() {
    if (pattern == null) {
      addError("no <pattern> for plain lines");
      return;
    }
    String name = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
    switch (name) {
      case "", "plain" -> chosen = plain();
      case "json" -> chosen = json();
      default -> {
        chosen = plain();
        warning = VARIABLE + " is '" + format + "', which is neither plain nor json: logging plain lines";
        addInfo(warning);
      }
    }
    chosen.start();
    super.start();
  }

  /** The chosen encoder's header, after it the warning about the format if there is one. */
  @Override
  public byte[] headerBytes() {
    byte[] header = chosen.headerBytes();
    if (warning == null) return header;
    LoggerContext context = (LoggerContext) getContext();
    ILoggingEvent event = new LoggingEvent(LogFormatEncoder.class.getName(),
        context.getLogger(LogFormatEncoder.class), Level.WARN, warning, null, null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (header != null) bytes.writeBytes(header);
    bytes.writeBytes(chosen.encode(event));
    return bytes.toByteArray();
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    return chosen.encode(event);
  }

  @Override
  public byte[] footerBytes() {
    return chosen.footerBytes();
  }

  @Override
  public void stop() {
    if (chosen != null) chosen.stop();
    super.stop();
  }

  private Encoder<ILoggingEvent> plain() {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(getContext());
    encoder.setPattern(pattern);
    return encoder;
  }

  /**
   * Time (epoch milliseconds), level, thread, logger, the message as it reads (not its template and
   * arguments apart) and a throwable as a structured object. Left out: Logback's sequence numbers,
   * nanoseconds and context, which repeat on every line without telling anything, and the MDC, which
   * nothing here fills (it would be an empty object on every line).
   */
  private Encoder<ILoggingEvent> json() {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(getContext());
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithMDC(false);
    encoder.setWithMessage(false);
    encoder.setWithArguments(false);
    encoder.setWithFormattedMessage(true);
    return encoder;
  }
}
