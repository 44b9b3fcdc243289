package io.segmenter.it;

import java.nio.charset.StandardCharsets;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Run in its own JVM by {@link DockerImageJvmIT}: loads RocksDB's native library the way Kafka
 * Streams does (RocksDB's own loader) and opens, writes and reads a store at {@code args[0]}. Prints
 * "rocksdb ok" and exits 0 on success; the loader's exception otherwise.
 */
public final class RocksDbLoadProbe {
  private RocksDbLoadProbe() { }

  public static void main(String[] args) throws Exception {
    RocksDB.loadLibrary();
    try (Options options = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(options, args[0])) {
      db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
      System.out.println("rocksdb ok: " + new String(db.get("k".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    }
  }
}
