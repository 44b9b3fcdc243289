package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line parses: help and version everywhere, options documented, bad values refused with exit code 2. */
class CliHelpTest {
  static CommandOutcome run(String... args) {
    return CommandOutcome.run(SegmenterTools.commandLine(), args);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "demo     | --customers,--days,--duration,--http-port,--seed,--live-rate,--plain,--no-console,--refresh,--log-file,--set",
      "generate | --customers,--days,--start,--rate,--seed,--live,--live-rate,--duration,--create-topics,--bootstrap-servers,--schema-registry-url,--config,--set",
      "replay   | FILE,--rate,--create-topics,--columns,--time-format,--currency,--bootstrap-servers,--schema-registry-url,--config,--set"})
  void helpOfEachCommandExitsZeroAndNamesItsOptions(String command, String options) {
    CommandOutcome o = run(command.strip(), "--help");
    assertThat(o.code()).isZero();
    assertThat(o.out()).startsWith("Usage: segmenter " + command.strip());
    for (String option : options.strip().split(",")) assertThat(o.out()).as(command + " --help").contains(option);
    assertThat(o.err()).isEmpty();
  }

  @Test
  void versionWorksThroughExecute() {
    assertThat(SegmenterTools.execute("--version")).isZero();
    CommandOutcome o = run("--version");
    assertThat(o.code()).isZero();
    assertThat(o.out()).startsWith("segmenter ").contains("Kafka 4.3.1");
    assertThat(run("demo", "--version").out()).startsWith("segmenter ");
  }

  @Test
  void theServiceJarsCommandLineHoldsOnlyWhatADeploymentRuns() {
    CommandOutcome o = CommandOutcome.run(SegmenterCli.commandLine(), "--help");
    assertThat(o.code()).isZero();
    assertThat(SegmenterCli.commandLine().getSubcommands().keySet()).containsExactlyInAnyOrder("run", "hash-token", "help");
    assertThat(SegmenterTools.commandLine().getSubcommands().keySet())
        .containsExactlyInAnyOrder("run", "hash-token", "help", "demo", "generate", "replay", "erase", "clv");
    assertThat(SegmenterTools.commandLine().getSubcommands().keySet())
        .as("the tools' commands the service jar points to").containsAll(SegmenterCli.TOOLS_COMMANDS);
    assertThat(SegmenterCli.commandLine().getSubcommands().keySet())
        .doesNotContainAnyElementsOf(SegmenterCli.TOOLS_COMMANDS);
  }

  @Test
  void theServiceJarSaysWhereAToolsCommandIs() {
    StringWriter err = new StringWriter();
    CommandLine cl = SegmenterCli.commandLine();
    cl.setErr(new PrintWriter(err, true));

    assertThat(SegmenterCli.asServiceJar(cl, "demo", "--duration", "5")).isEqualTo(2);
    assertThat(err.toString()).startsWith("segmenter: 'demo' is a command of segmenter-tools.jar");
  }

  @Test
  void topLevelHelpListsTheCommands() {
    CommandOutcome o = run("--help");
    assertThat(o.code()).isZero();
    assertThat(o.out()).contains("demo", "generate", "replay", "run");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "demo --customers 0                     | --customers must be at least 1",
      "demo --duration 0                      | --duration must be at least 1 second",
      "demo --http-port 70000                 | --http-port must be 0..65535",
      "demo --days two                        | --days",
      "generate --rate -1                     | --rate must be a number >= 0",
      "generate --start yesterday             | --start",
      "replay                                 | Missing required parameter: 'FILE'",
      "replay data.csv --rate x               | --rate",
      "replay data.csv --columns cust=a       | --columns: unknown key",
      "replay data.csv --columns customer=a,order=b,time=c,amount=d,price=e --currency EUR | --columns: give amount",
      "replay data.csv --columns customer=a,order=b,time=c,amount=d | --columns needs --currency CODE",
      "replay data.csv --time-format HH:mm    | --time-format: time pattern",
      "replay data.csv --currency pounds      | is not an ISO 4217 currency code"})
  void badValuesExitTwoAndSayWhy(String line, String message) {
    CommandOutcome o = run(line.strip().split(" +"));
    assertThat(o.code()).as(line).isEqualTo(2);
    assertThat(o.err()).as(line).contains(message.strip());
  }
}
