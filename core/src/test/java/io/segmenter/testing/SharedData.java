package io.segmenter.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Files of the shared data sets ({@code ../shared/data/}, see its README), looked up from the
 * working directory and up to three of its parents: Maven runs tests in the module directory, one
 * level below the project root the path is relative to.
 */
public final class SharedData {
  private SharedData() { }

  /** A file of {@code ../shared/data/cdnow/}. */
  public static Path cdnow(String name) {
    return find("../shared/data/cdnow/" + name);
  }

  /** The rows of a CDNOW CSV of {@code ../shared/data/cdnow/} after its header, split at commas. */
  public static List<String[]> cdnowCsvRows(String name) {
    try {
      List<String> lines = Files.readAllLines(cdnow(name));
      List<String[]> rows = new ArrayList<>();
      for (String l : lines.subList(1, lines.size())) {
        if (!l.isBlank()) rows.add(l.trim().split(","));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path find(String relative) {
    List<Path> tried = new ArrayList<>();
    Path dir = Path.of("").toAbsolutePath();
    for (int up = 0; up <= 3 && dir != null; up++, dir = dir.getParent()) {
      Path p = dir.resolve(relative).normalize();
      if (Files.isRegularFile(p)) return p;
      tried.add(p);
    }
    throw new IllegalStateException("shared data not found; looked at " + tried);
  }
}
