package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 22, repro 8 (part): a mistake on the command line prints the mistake and where the options
 * are, not the whole usage (21 to 27 lines) after it. Exit 2.
 */
class NewcomerParameterErrorTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "replay                               | segmenter replay | Missing required parameter: 'FILE'",
      "replay data.csv --rate x             | segmenter replay | Invalid value for option '--rate'",
      "replay data.csv --rat 3              | segmenter replay | Unknown options: '--rat'",
      "generate --customers 0               | segmenter generate | --customers must be at least 1",
      "erase                                | segmenter erase | Missing required parameter: 'CUSTOMER_ID'",
      "run --bootstrap-server x             | segmenter run | Unknown options: '--bootstrap-server'",
      "hash-token --role reader             | segmenter hash-token | Missing required option: '--name=NAME'",
      "replai data.csv                      | segmenter | Unmatched argument"})
  void oneLineAndAPointerToHelp(String line, String command, String message) {
    NewcomerCommandLine r = NewcomerCommandLine.run(line.strip().split(" +")).print(line.strip());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).as(r.err()).hasSizeBetween(2, 3);
    assertThat(r.errLines().get(0)).startsWith(command.strip() + ": ").contains(message.strip());
    assertThat(r.errLines()).last().isEqualTo("Try '" + command.strip() + " --help' for the options.");
    assertThat(r.err()).doesNotContain("Usage:");
  }
}
