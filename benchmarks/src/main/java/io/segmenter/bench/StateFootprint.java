package io.segmenter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

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
    for (Path store : storeDirs(applicationStateDir)) {
      out.merge(store.getFileName().toString(), filesOf(store), Disk::plus);
    }
    return out;
  }

  /**
   * Compacts every store of a closed instance fully (the bottommost level drops overwritten versions
   * and deleted keys), with the table settings Kafka Streams gives its stores (no compression, 4 kB
   * blocks, a Bloom filter), and returns the SST bytes per store afterwards: the size of the live
   * entries alone, where RocksDB's background compaction would converge.
   */
  static Map<String, Long> compacted(Path applicationStateDir) throws IOException, RocksDBException {
    RocksDB.loadLibrary();
    Map<String, Long> out = new TreeMap<>();
    for (Path store : storeDirs(applicationStateDir)) {
      String path = store.toString();
      List<byte[]> families;
      try (Options options = new Options()) {
        families = RocksDB.listColumnFamilies(options, path);
      }
      try (BloomFilter bloom = new BloomFilter();
           ColumnFamilyOptions table = new ColumnFamilyOptions().setCompressionType(CompressionType.NO_COMPRESSION)
               .setTableFormatConfig(new BlockBasedTableConfig().setBlockSize(4096).setFilterPolicy(bloom));
           DBOptions db = new DBOptions()) {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (byte[] family : families) descriptors.add(new ColumnFamilyDescriptor(family, table));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        // Forced: by default RocksDB leaves the bottommost level as it is, where most of the data sits.
        try (RocksDB rocks = RocksDB.open(db, path, descriptors, handles);
             CompactRangeOptions all = new CompactRangeOptions()
                 .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
          for (ColumnFamilyHandle h : handles) rocks.compactRange(h, null, null, all);
          handles.forEach(ColumnFamilyHandle::close);
        }
      }
      out.merge(store.getFileName().toString(), filesOf(store).sstBytes(), Long::sum);
    }
    return out;
  }

  /** The RocksDB directories of every store instance (one per task, and the global ones). */
  private static List<Path> storeDirs(Path applicationStateDir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(applicationStateDir)) return out;
    try (Stream<Path> rocksdbDirs = Files.walk(applicationStateDir, 3)) {
      for (Path rocksdb : rocksdbDirs.filter(p -> p.getFileName().toString().equals("rocksdb") && Files.isDirectory(p))
          .toList()) {
        try (Stream<Path> storeDirs = Files.list(rocksdb)) {
          out.addAll(storeDirs.filter(Files::isDirectory).toList());
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
