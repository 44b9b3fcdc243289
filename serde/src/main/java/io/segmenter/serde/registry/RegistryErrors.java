package io.segmenter.serde.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLException;

/** Turns registry answers and transport failures into {@link SchemaRegistryException}s with clear messages. */
final class RegistryErrors {
  private static final int MAX_SNIPPET_CHARS = 200;

  private RegistryErrors() {}

  /** An HTTP error answer: the registry's {@code error_code} and message if the body has them, else a body snippet. */
  static SchemaRegistryException fromResponse(
      ObjectMapper mapper, String request, RegistryEndpoint endpoint, int status, byte[] body, int attempts) {
    int errorCode = SchemaRegistryException.NO_ERROR_CODE;
    String detail = null;
    JsonNode json = tryParse(mapper, body);
    if (json != null && json.isObject()) {
      JsonNode code = json.get("error_code");
      if (code != null && (code.canConvertToInt() || code.isTextual())) {
        errorCode = code.canConvertToInt() ? code.asInt() : parseIntOr(code.asText(), errorCode);
      }
      JsonNode message = json.get("message");
      if (message != null && message.isTextual()) {
        detail = message.asText();
      }
    }
    if (detail == null) {
      detail = snippet(body);
    }
    String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
    String code = errorCode == SchemaRegistryException.NO_ERROR_CODE ? "" : ", error_code " + errorCode;
    return new SchemaRegistryException(
        "Schema registry at " + endpoint + " answered " + request + " with HTTP " + status + code + tries + ": " + detail,
        status,
        errorCode);
  }

  static SchemaRegistryException unreachable(List<RegistryEndpoint> endpoints, int attempts, IOException cause) {
    String where = endpoints.size() == 1 ? endpoints.get(0).toString() : endpoints.toString();
    return new SchemaRegistryException(
        "Schema registry at " + where + " unreachable after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ")
            + describe(cause),
        SchemaRegistryException.NO_RESPONSE,
        SchemaRegistryException.NO_ERROR_CODE,
        cause);
  }

  static SchemaRegistryException tlsFailure(RegistryEndpoint endpoint, IOException cause) {
    return new SchemaRegistryException(
        "TLS handshake with schema registry at " + endpoint + " failed: " + describe(cause)
            + ". Check that its certificate is trusted (" + SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION_CONFIG
            + ") and valid for the host name, and that the URL's scheme (http/https) matches the registry.",
        SchemaRegistryException.NO_RESPONSE,
        SchemaRegistryException.NO_ERROR_CODE,
        cause);
  }

  static SchemaRegistryException interrupted(String request, InterruptedException cause) {
    return new SchemaRegistryException(
        "Interrupted while waiting for the schema registry (" + request + ")",
        SchemaRegistryException.NO_RESPONSE,
        SchemaRegistryException.NO_ERROR_CODE,
        cause);
  }

  /** A 2xx answer the client cannot use (not JSON, missing fields, a non-Avro schema...). */
  static SchemaRegistryException unusableAnswer(String request, String problem) {
    return new SchemaRegistryException(
        "Unusable schema registry answer to " + request + ": " + problem,
        SchemaRegistryException.CLIENT_ERROR,
        SchemaRegistryException.NO_ERROR_CODE);
  }

  /**
   * A TLS failure that retrying cannot fix (untrusted certificate, plain HTTP on the other end),
   * as opposed to a handshake cut short by the network, which is an ordinary connection error.
   */
  static boolean isPermanentTlsFailure(IOException e) {
    boolean ssl = false;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EOFException || t instanceof SocketException) {
        return false;
      }
      ssl |= t instanceof SSLException;
    }
    return ssl;
  }

  /**
   * "HttpTimeoutException: request timed out", or for the JDK's message-less exceptions the chain
   * of class names, e.g. "ConnectException (ClosedChannelException)".
   */
  static String describe(Throwable error) {
    StringBuilder text = new StringBuilder(error.getClass().getSimpleName());
    Throwable current = error;
    while (current.getMessage() == null && current.getCause() != null) {
      current = current.getCause();
      if (!current.getClass().equals(error.getClass())) {
        text.append(" (").append(current.getClass().getSimpleName()).append(')');
      }
    }
    if (current.getMessage() != null) {
      text.append(": ").append(current.getMessage());
    }
    return text.toString();
  }

  private static JsonNode tryParse(ObjectMapper mapper, byte[] body) {
    try {
      return body.length == 0 ? null : mapper.readTree(body);
    } catch (IOException e) {
      return null; // a proxy's HTML page, a plain-text error: reported as a snippet instead
    }
  }

  private static int parseIntOr(String text, int fallback) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static String snippet(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
    if (text.isEmpty()) {
      return "(empty body)";
    }
    return text.length() <= MAX_SNIPPET_CHARS ? text : text.substring(0, MAX_SNIPPET_CHARS) + "...";
  }
}
