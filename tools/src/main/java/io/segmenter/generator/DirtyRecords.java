package io.segmenter.generator;

import io.segmenter.events.ClickEvent;
import io.segmenter.events.ClickType;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.serde.AvroSerializer;
import io.segmenter.serde.WireFormat;
import io.segmenter.serde.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Input that segmenter must reject, one kind per way real input goes wrong, each with the reason the
 * dead-letter topic must give. For the fuzz test, and for anyone who wants to see the dead-letter
 * topic at work. Records are raw key and value bytes, as a broken producer would send them.
 */
public final class DirtyRecords {
  /** A way input goes wrong; {@link #reason} is the {@code segmenter.dlq.reason} header it must get. */
  public enum Kind {
    NOT_AVRO("BAD_MAGIC_BYTE", false),
    TOO_SHORT("TRUNCATED", false),
    UNKNOWN_SCHEMA_ID("UNKNOWN_SCHEMA_ID", false),
    TRAILING_GARBAGE("CORRUPT_PAYLOAD", false),
    BLANK_CUSTOMER_ID("MISSING_CUSTOMER_ID", false),
    KEY_NOT_CUSTOMER("KEY_MISMATCH", false),
    NO_KEY("KEY_MISMATCH", false),
    NEGATIVE_AMOUNT("NEGATIVE_AMOUNT", false),
    ABSURD_AMOUNT("ABSURD_AMOUNT", false),
    FAR_FUTURE("FUTURE_TIMESTAMP", false),
    BEFORE_2000("TIMESTAMP_TOO_OLD", false),
    UNKNOWN_ORDER_STATUS("UNKNOWN_ENUM_SYMBOL", false),
    UNKNOWN_CLICK_TYPE("UNKNOWN_ENUM_SYMBOL", true),
    NEGATIVE_PRICE("NEGATIVE_PRICE", true),
    FOREIGN_CURRENCY("FOREIGN_CURRENCY", false),
    TOMBSTONE("UNEXPECTED_TYPE", true);

    public final String reason;
    /** True for a record on the clicks topic, false for the orders topic. */
    public final boolean click;

    Kind(String reason, boolean click) {
      this.reason = reason;
      this.click = click;
    }
  }

  /** One bad record: key and value bytes (either may be null) for the clicks or the orders topic. */
  public record Dirty(Kind kind, byte[] key, byte[] value) {
    public boolean click() {
      return kind.click;
    }
  }

  private final AvroSerializer<Object> serializer;
  private final SchemaRegistryClient registry;
  private final String ordersTopic;
  private final String clicksTopic;
  private final Instant now;
  private final Schema newerOrder;
  private final Schema newerClick;
  private int newerOrderId = -1;
  private int newerClickId = -1;

  /**
   * @param registry the registry the service reads from (the newer schemas with unknown symbols are
   *     registered there, under subjects of their own, as a newer producer would)
   * @param now the wall clock the records are judged against (future and past bounds)
   */
  public DirtyRecords(SchemaRegistryClient registry, String clicksTopic, String ordersTopic, Instant now) {
    this.registry = registry;
    this.serializer = new AvroSerializer<>(registry);
    this.clicksTopic = clicksTopic;
    this.ordersTopic = ordersTopic;
    this.now = now;
    this.newerOrder = withExtraSymbol(OrderEvent.getClassSchema(), "status", "REFUNDED_TWICE");
    this.newerClick = withExtraSymbol(ClickEvent.getClassSchema(), "type", "HOVER");
  }

  /** The {@code n}-th record of a kind; customer ids and event ids differ with n. */
  public Dirty make(Kind kind, int n) {
    String customer = "dirty-" + n;
    byte[] key = bytes(customer);
    return switch (kind) {
      case NOT_AVRO -> new Dirty(kind, key, bytes("{\"customerId\":\"" + customer + "\"}"));
      case TOO_SHORT -> new Dirty(kind, key, new byte[] {0, 0, 1});
      case UNKNOWN_SCHEMA_ID -> {
        byte[] v = order(order(customer, n).build());
        WireFormat.writeHeader(v, 1_000_000_000 + n % 1000);
        yield new Dirty(kind, key, v);
      }
      case TRAILING_GARBAGE -> {
        byte[] v = order(order(customer, n).build());
        byte[] longer = java.util.Arrays.copyOf(v, v.length + 3);
        yield new Dirty(kind, key, longer);
      }
      case BLANK_CUSTOMER_ID -> new Dirty(kind, key, order(order(" ", n).build()));
      case KEY_NOT_CUSTOMER -> new Dirty(kind, bytes("someone-else-" + n), order(order(customer, n).build()));
      case NO_KEY -> new Dirty(kind, null, order(order(customer, n).build()));
      case NEGATIVE_AMOUNT -> new Dirty(kind, key, order(order(customer, n).setAmount(money("-12.5000")).build()));
      case ABSURD_AMOUNT -> new Dirty(kind, key, order(order(customer, n).setAmount(money("250000000.0000")).build()));
      case FAR_FUTURE -> new Dirty(kind, key, order(order(customer, n).setOccurredAt(now.plus(Duration.ofDays(400))).build()));
      case BEFORE_2000 -> new Dirty(kind, key,
          order(order(customer, n).setOccurredAt(Instant.parse("1970-01-01T00:00:01Z").plusSeconds(n)).build()));
      case UNKNOWN_ORDER_STATUS -> new Dirty(kind, key, newerOrder(order(customer, n).build()));
      case UNKNOWN_CLICK_TYPE -> new Dirty(kind, key, newerClick(click(customer, n).build()));
      case NEGATIVE_PRICE -> new Dirty(kind, key, click(click(customer, n).setPrice(money("-1.0000")).build()));
      case FOREIGN_CURRENCY -> new Dirty(kind, key, order(order(customer, n).setCurrency("XTS").build()));
      case TOMBSTONE -> new Dirty(kind, key, null);
    };
  }

  /** {@code count} bad records, cycling through every kind. */
  public List<Dirty> mixed(int count) {
    List<Dirty> out = new ArrayList<>(count);
    Kind[] kinds = Kind.values();
    for (int i = 0; i < count; i++) out.add(make(kinds[i % kinds.length], i));
    return out;
  }

  private OrderEvent.Builder order(String customer, int n) {
    return OrderEvent.newBuilder().setOrderId("dirty-order-" + n).setCustomerId(customer).setStatus(OrderStatus.PLACED)
        .setAmount(money("19.9900")).setCurrency("EUR").setItemCount(1).setCategories(List.of())
        .setOccurredAt(now.minusSeconds(60 + n % 3600));
  }

  private ClickEvent.Builder click(String customer, int n) {
    return ClickEvent.newBuilder().setEventId("dirty-click-" + n).setCustomerId(customer).setSessionId("dirty-session-" + n)
        .setType(ClickType.PRODUCT_VIEW).setProductId("sku-1").setPrice(money("9.9900"))
        .setOccurredAt(now.minusSeconds(60 + n % 3600));
  }

  private static BigDecimal money(String s) {
    return new BigDecimal(s);
  }

  private byte[] order(OrderEvent e) {
    return serializer.serialize(ordersTopic, e);
  }

  private byte[] click(ClickEvent e) {
    return serializer.serialize(clicksTopic, e);
  }

  /** The order as a newer producer writes it: its status an enum symbol this version does not know. */
  private byte[] newerOrder(OrderEvent e) {
    if (newerOrderId < 0) newerOrderId = registry.register("dirty-records-newer-order", newerOrder);
    GenericRecord r = copy(e, newerOrder);
    r.put("status", new GenericData.EnumSymbol(newerOrder.getField("status").schema(), "REFUNDED_TWICE"));
    return encode(newerOrderId, newerOrder, r);
  }

  private byte[] newerClick(ClickEvent e) {
    if (newerClickId < 0) newerClickId = registry.register("dirty-records-newer-click", newerClick);
    GenericRecord r = copy(e, newerClick);
    r.put("type", new GenericData.EnumSymbol(newerClick.getField("type").schema(), "HOVER"));
    return encode(newerClickId, newerClick, r);
  }

  /** Field by field into the newer schema, in the representation its writer expects (logical types converted). */
  private static GenericRecord copy(org.apache.avro.specific.SpecificRecordBase e, Schema schema) {
    GenericData.Record r = new GenericData.Record(schema);
    for (Schema.Field f : e.getSchema().getFields()) r.put(f.name(), e.get(f.pos()));
    return r;
  }

  private static byte[] encode(int schemaId, Schema schema, GenericRecord r) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(new byte[WireFormat.HEADER_SIZE]);
      BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
      GenericData data = new GenericData();
      data.addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
      data.addLogicalTypeConversion(new org.apache.avro.Conversions.DecimalConversion());
      new GenericDatumWriter<GenericRecord>(schema, data).write(r, enc);
      enc.flush();
      byte[] bytes = out.toByteArray();
      WireFormat.writeHeader(bytes, schemaId);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema with one more symbol in the enum of {@code field}, as a newer producer would have it. */
  private static Schema withExtraSymbol(Schema schema, String field, String symbol) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    try {
      com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(schema.toString());
      for (com.fasterxml.jackson.databind.JsonNode f : root.get("fields")) {
        if (f.get("name").asText().equals(field)) {
          ((com.fasterxml.jackson.databind.node.ArrayNode) f.get("type").get("symbols")).add(symbol);
        }
      }
      return new Schema.Parser().parse(json.writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
