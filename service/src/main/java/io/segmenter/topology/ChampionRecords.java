package io.segmenter.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The records of the strategy control topic: key {@value #KEY}, value a small JSON object naming the
 * champion ({@code {"champion":"k6","epoch":3,"setting":"default","source":"http","at":1733000000000}}).
 * JSON rather than Avro: the topic is internal, needs no registry, and an operator can read it with
 * any console consumer.
 */
public final class ChampionRecords {
  /** The one key: compaction keeps the newest promotion. */
  public static final String KEY = "champion";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChampionRecords() { }

  public static byte[] encode(Strategies.Champion c) {
    ObjectNode n = JSON.createObjectNode();
    n.put("champion", c.name());
    n.put("epoch", c.epoch());
    n.put("setting", c.setting());
    n.put("source", c.source());
    n.put("at", c.at());
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The record, or null when the bytes are not one (the caller skips it). */
  public static Strategies.Champion read(byte[] bytes) {
    try {
      return decode(bytes);
    } catch (RejectedRecord e) {
      return null;
    }
  }

  /** @throws RejectedRecord when the bytes are not such a record */
  static Strategies.Champion decode(byte[] bytes) throws RejectedRecord {
    if (bytes == null) throw new RejectedRecord(RejectedRecord.Reason.TOMBSTONE, "a tombstone on the strategy control topic");
    JsonNode n;
    try {
      n = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new RejectedRecord(RejectedRecord.Reason.CORRUPT, "not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject() || !n.path("champion").isTextual() || n.path("champion").asText().isBlank()) {
      throw new RejectedRecord(RejectedRecord.Reason.WRONG_SHAPE, "no \"champion\" name in the record");
    }
    return new Strategies.Champion(n.get("champion").asText(), n.path("epoch").asLong(0),
        n.path("setting").asText(""), n.path("source").asText("?"), n.path("at").asLong(0));
  }
}
