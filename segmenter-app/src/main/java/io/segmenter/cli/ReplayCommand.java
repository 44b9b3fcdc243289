package io.segmenter.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** TODO: {@code replay}. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "TODO")
final class ReplayCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 0;
  }
}
