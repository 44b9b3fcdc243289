package io.segmenter.testing;

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
