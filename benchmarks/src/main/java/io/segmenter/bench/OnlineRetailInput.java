package io.segmenter.bench;

import io.segmenter.cli.EventSender;
import io.segmenter.config.SegmenterConfig;
import io.segmenter.events.OrderEvent;
import io.segmenter.replay.OnlineRetailOrders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The benchmark's input read from the UCI Online Retail II file instead of generated: its invoices as
 * OrderEvents (no clicks), parsed by the {@code replay} command's reader ({@link OnlineRetailOrders})
 * and produced keyed by customer id with the project's serde, in time order, as {@code replay} does.
 * Years of event time then pass through the topology in seconds: the re-checks and model work that
 * event time drives all land in one run.
 */
final class OnlineRetailInput {
  /** Where the shared data sets live, relative to the project root. */
  static final String DEFAULT_DIRECTORY = "../shared/data/online-retail-ii";

  private OnlineRetailInput() { }

  /** The one .csv or .csv.gz file in {@code path}, or {@code path} itself if it is a file. */
  static Path dataFile(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      if (!Files.isReadable(path)) {
        throw new IllegalArgumentException("bench.data: no readable file or directory at " + path.toAbsolutePath()
            + " (run from the project root, or set -Dbench.data=<directory of online_retail_II_2009_2010.csv.gz>)");
      }
      return path;
    }
    try (Stream<Path> files = Files.list(path)) {
      List<Path> csv = files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches("[^.].*\\.csv(\\.gz)?"))
          .sorted().toList();
      if (csv.size() != 1) {
        throw new IllegalArgumentException("bench.data: expected one .csv or .csv.gz file in " + path.toAbsolutePath()
            + ", found " + csv);
      }
      return csv.get(0);
    }
  }

  /** Reads the file and produces its orders; returns what was read (the orders are not kept). */
  static OnlineRetailOrders.Stats produce(Path file, SegmenterConfig config) {
    OnlineRetailOrders.Result result = OnlineRetailOrders.read(file);
    try (EventSender sender = new EventSender(config, new HashMap<>(config.originals()))) {
      for (OrderEvent order : result.orders()) sender.send(order.getCustomerId(), order);
      sender.flush();
      if (sender.ackedOrders() != result.orders().size()) {
        throw new IllegalStateException(sender.ackedOrders() + " of " + result.orders().size() + " orders acknowledged");
      }
    }
    return result.stats();
  }
}
