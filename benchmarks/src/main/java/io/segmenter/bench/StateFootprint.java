package io.segmenter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;

/**
 * Where an application's state takes room: its RocksDB directories on disk, per store, and its
 * topics' partitions on the brokers. Nothing here knows segmenter's store names: stores are found
 * by the directories Kafka Streams lays out ({@code <state.dir>/<application.id>/<task>/rocksdb/<store>/},
 * {@code .../global/rocksdb/<store>/}) and topics by name.
 */
final class StateFootprint {
  private StateFootprint() { }

  /** One store's files, summed over its tasks: the SST files (the data) and every file (with logs, manifests). */
  record Disk(long sstBytes, long allBytes, int instances) {
    Disk plus(Disk o) {
      return new Disk(sstBytes + o.sstBytes, allBytes + o.allBytes, instances + o.instances);
    }
  }

  /**
   * The RocksDB files under an application's state directory, per store name. Read it with the
   * instance closed: Kafka Streams flushes the memtables to SST files when it closes a store.
   */
  static Map<String, Disk> onDisk(Path applicationStateDir) throws IOException {
    Map<String, Disk> out = new TreeMap<>();
    if (!Files.isDirectory(applicationStateDir)) return out;
    try (Stream<Path> rocksdbDirs = Files.walk(applicationStateDir, 3)) {
      for (Path rocksdb : rocksdbDirs.filter(p -> p.getFileName().toString().equals("rocksdb") && Files.isDirectory(p))
          .toList()) {
        try (Stream<Path> storeDirs = Files.list(rocksdb)) {
          for (Path store : storeDirs.filter(Files::isDirectory).toList()) {
            out.merge(store.getFileName().toString(), filesOf(store), Disk::plus);
          }
        }
      }
    }
    return out;
  }

  private static Disk filesOf(Path storeDir) throws IOException {
    long sst = 0;
    long all = 0;
    try (Stream<Path> files = Files.walk(storeDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        long size = Files.size(f);
        all += size;
        if (f.getFileName().toString().endsWith(".sst")) sst += size;
      }
    }
    return new Disk(sst, all, 1);
  }

  /**
   * Bytes of each topic's partitions in the brokers' log directories (all replicas; one here), as
   * the brokers report them: every record batch appended, with its transaction markers, until the log
   * cleaner compacts the closed segments.
   */
  static Map<String, Long> topicBytes(Admin admin, Collection<String> topics) throws Exception {
    Set<String> wanted = new HashSet<>(topics);
    Set<Integer> brokers = new HashSet<>();
    for (Node n : admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)) brokers.add(n.id());
    Map<String, Long> out = new TreeMap<>();
    for (String t : topics) out.put(t, 0L);
    Map<Integer, Map<String, LogDirDescription>> dirs =
        admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS);
    dirs.values().forEach(byDir -> byDir.values().forEach(dir -> dir.replicaInfos().forEach((tp, info) -> {
      if (wanted.contains(tp.topic())) out.merge(tp.topic(), info.size(), Long::sum);
    })));
    return out;
  }
}
