package io.segmenter.service;

import io.segmenter.config.SegmenterConfig;
import io.segmenter.topology.ChampionRecords;
import io.segmenter.topology.Strategies;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes promotions to the strategy control topic (docs/STRATEGIES.md): at start-up when the
 * segmenter.strategy.champion setting changed since the last record (the operator promoted by
 * setting), and when POST /strategies/{name}/promote asks. Every instance applies a record when its
 * global store reads it, so a promotion is one record, and every instance ends on the same champion
 * whatever the order of concurrent promotions (the last record wins). Only with challengers.
 */
public final class StrategyControl implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StrategyControl.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final String topic;
  private final String setting;
  private final Map<String, Object> consumerConfig;
  private final KafkaProducer<String, byte[]> producer;

  public StrategyControl(SegmenterConfig config, Map<String, Object> producerConfig, Map<String, Object> consumerConfig) {
    this.topic = config.getString(SegmenterConfig.TOPIC_STRATEGY);
    this.setting = config.championSetting();
    this.consumerConfig = new HashMap<>(consumerConfig);
    Map<String, Object> p = new HashMap<>(producerConfig);
    p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  /**
   * Before the streams start: a promotion when the topic has no record yet, or when its last record
   * acted on another value of the setting than this instance's (the setting changed since). Otherwise
   * the topic's champion stands, even if it came from an HTTP call after the setting.
   */
  public void reconcile(List<String> strategies) throws InterruptedException, ExecutionException, TimeoutException {
    Strategies.Champion last = last();
    if (last != null && last.setting().equals(setting)) {
      LOG.info("strategy '{}' is the champion (promotion {} by {}); {} = {} as when it was recorded", last.name(),
          last.epoch(), last.source(), SegmenterConfig.STRATEGY_CHAMPION, setting);
      return;
    }
    if (!strategies.contains(setting)) return; // checked at start-up already; never written
    write(new Strategies.Champion(setting, last == null ? 1 : last.epoch() + 1, setting, "setting",
        System.currentTimeMillis()));
  }

  /** A promotion asked over HTTP; returns the record written. */
  public Strategies.Champion promote(String name) throws InterruptedException, ExecutionException, TimeoutException {
    Strategies.Champion last = last();
    Strategies.Champion next = new Strategies.Champion(name, last == null ? 1 : last.epoch() + 1,
        last == null ? setting : last.setting(), "http", System.currentTimeMillis());
    write(next);
    return next;
  }

  private void write(Strategies.Champion c) throws InterruptedException, ExecutionException, TimeoutException {
    producer.send(new ProducerRecord<>(topic, 0, ChampionRecords.KEY, ChampionRecords.encode(c)))
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    LOG.info("promotion {} recorded: strategy '{}' is to be the champion ({})", c.epoch(), c.name(), c.source());
  }

  /** The newest readable record of the topic, or null. */
  public Strategies.Champion last() {
    Map<String, Object> c = new HashMap<>(consumerConfig);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG);
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToEnd(List.of(tp));
      long end = consumer.position(tp, TIMEOUT);
      if (end == 0) return null;
      consumer.seek(tp, Math.max(0, end - 50));
      Strategies.Champion last = null;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(tp, TIMEOUT) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Strategies.Champion read = ChampionRecords.read(r.value());
          if (read != null) last = read;
        }
      }
      return last;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
