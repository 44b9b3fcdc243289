package io.segmenter.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness of an instance, from its Kafka Streams state and its stream-thread failures
 * ({@link ThreadFailurePolicy}). One rule for {@code /health*} and for the {@code segmenter_live} gauge.
 *
 * <ul>
 *   <li>Live: the streams are not stopped or stopping for good (ERROR, PENDING_ERROR, PENDING_SHUTDOWN,
 *       NOT_RUNNING), and the thread failures are below their limit within the window (and the global
 *       thread has not failed). While starting (no streams yet) it is live.</li>
 *   <li>Ready: live, the streams RUNNING, and no failed thread waiting for its replacement (its tasks
 *       are idle meanwhile).</li>
 * </ul>
 */
public final class Health {
  private static final Set<KafkaStreams.State> DEAD = Set.of(KafkaStreams.State.ERROR,
      KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.NOT_RUNNING);

  private Health() { }

  /** @param state the streams' state, or null while starting (before the streams exist) */
  public static boolean live(KafkaStreams.State state, ThreadFailurePolicy.Status failures) {
    return (state == null || !DEAD.contains(state)) && failures.live();
  }

  public static boolean ready(KafkaStreams.State state, ThreadFailurePolicy.Status failures) {
    return state == KafkaStreams.State.RUNNING && failures.live() && failures.waiting() == 0;
  }

  /** Why the instance is not live or not ready, for the answer's {@code reason}; null when it is. */
  static String reason(KafkaStreams.State state, ThreadFailurePolicy.Status failures, boolean readiness) {
    if (failures.globalThreadFailed()) return "the global thread failed; it cannot be replaced: restart the process";
    if (!failures.live()) {
      return failures.failuresInWindow() + " stream-thread failures within " + failures.settings().window().toSeconds()
          + " s (limit " + failures.settings().maxFailures() + ")";
    }
    if (state != null && DEAD.contains(state)) return "the streams are " + state;
    if (!readiness) return null;
    if (state != KafkaStreams.State.RUNNING) return "the streams are " + (state == null ? "STARTING" : state);
    if (failures.waiting() > 0) return "a failed stream thread is waiting to be replaced";
    return null;
  }

  /** The {@code threadFailures} object of the health answers. */
  static ObjectNode json(ThreadFailurePolicy.Status s) {
    ObjectNode o = OpsResponse.MAPPER.createObjectNode();
    o.put("failures", s.failuresInWindow());
    o.put("limit", s.settings().maxFailures());
    o.put("windowMs", s.settings().window().toMillis());
    o.put("total", s.total());
    o.put("lastFailure", s.lastFailure() == null ? null : s.lastFailure().toString());
    o.put("backoffMs", s.backoff().toMillis());
    o.put("nextBackoffMs", s.nextBackoff().toMillis());
    o.put("waiting", s.waiting());
    o.put("globalThreadFailed", s.globalThreadFailed());
    ArrayNode recent = o.putArray("recent");
    for (ThreadFailurePolicy.Failure f : s.recent()) {
      ObjectNode r = recent.addObject();
      r.put("failedAt", f.failedAt().toString());
      r.put("backoffMs", f.backoff().toMillis());
      r.put("replacedAt", f.replacedAt() == null ? null : f.replacedAt().toString());
    }
    return o;
  }
}
