package io.segmenter.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** TODO: {@code demo}. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "TODO")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
