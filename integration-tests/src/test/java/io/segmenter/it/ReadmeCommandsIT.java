package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's commands, run exactly as written, from a copy of the checkout's sources (no build output,
 * so the Quick start's build is a build from scratch) with bash, as a newcomer pastes them. Every
 * command README shows (in a code block, or inline as {@code mvn ...} or {@code java -jar ...}) is
 * run, except README's test command, which this test is part of: that one must be what .ci/run runs.
 * The demo without {@code --duration} runs until the user stops it: it is stopped with Ctrl-C
 * (SIGINT) once it shows its first segment table, as README says a user would.
 */
class ReadmeCommandsIT {
  /** README's test command: running it from here would run this test again. */
  private static final String TEST_COMMAND = "mvn -B -ntp verify";
  private static final Pattern INLINE = Pattern.compile("`((?:mvn|java -jar) [^`]+)`");
  private static final Duration BUILD_DEADLINE = Duration.ofMinutes(10);
  private static final Duration DEMO_DEADLINE = Duration.ofMinutes(3);

  private static Path checkout;
  private static Path copy;

  @BeforeAll
  static void copyTheCheckout() throws IOException {
    checkout = Path.of(System.getProperty("segmenter.checkout")).toRealPath();
    copy = Path.of(System.getProperty("segmenter.readme.copy")).toAbsolutePath();
    deleteTree(copy);
    copySources(checkout, copy);
  }

  @Test
  void everyCommandInReadmeRunsAsWritten() throws Exception {
    List<String> commands = commands(Files.readString(checkout.resolve("README.md")));
    System.out.printf("README commands (%d):%n", commands.size());
    commands.forEach(c -> System.out.println("  " + c));
    assertThat(commands).as("README's commands").contains(TEST_COMMAND)
        .anyMatch(c -> c.contains("segmenter-tools.jar demo") && !c.contains("--duration"));

    Set<String> ran = new LinkedHashSet<>();
    for (String command : commands) {
      Instant start = Instant.now();
      if (ran.contains(command)) {
        // The Quick start's build, shown again in the table of jars: the same command, already run.
        System.out.printf("  %s: run above, as part of a longer command%n", command);
        continue;
      }
      ran.addAll(List.of(command.split(" && ")));
      if (command.equals(TEST_COMMAND)) {
        assertThat(Files.readAllLines(checkout.resolve(".ci/run"))).as(".ci/run runs README's test command")
            .contains(TEST_COMMAND);
        System.out.printf("  %s: not run here (this test is part of it); .ci/run runs it%n", command);
        continue;
      }
      Run run = isOpenEndedDemo(command) ? stopWithCtrlC(command) : runToEnd(command);
      System.out.printf("  %s: exit %d in %.1f s%n", command, run.exitCode,
          Duration.between(start, Instant.now()).toMillis() / 1000.0);
      assertThat(run.output).as("output of %s", command).doesNotContain("Exception").doesNotContain("ERROR");
      if (command.contains(" demo") && !command.contains("--help")) {
        assertThat(run.output).as("the demo's view (%s)", command).contains("model version").contains("timeline");
      }
    }
  }

  /** Commands README shows: lines of code blocks that start a command, and inline ones. */
  static List<String> commands(String readme) {
    Set<String> commands = new LinkedHashSet<>();
    boolean inBlock = false;
    for (String line : readme.split("\n")) {
      if (line.startsWith("```")) {
        inBlock = !inBlock;
        continue;
      }
      if (inBlock) {
        if (line.startsWith("mvn ") || line.startsWith("java ")) commands.add(line.strip());
        continue;
      }
      Matcher m = INLINE.matcher(line);
      while (m.find()) commands.add(m.group(1));
    }
    return new ArrayList<>(commands);
  }

  private static boolean isOpenEndedDemo(String command) {
    return command.contains("segmenter-tools.jar demo") && !command.contains("--duration") && !command.contains("--help");
  }

  private static Run runToEnd(String command) throws Exception {
    Path log = Files.createTempFile(copy.getParent(), "readme-", ".log");
    Process p = start(command, log);
    boolean ended = p.waitFor(BUILD_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) killAll(p);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(ended).as("%s ended within %s; output:%n%s", command, BUILD_DEADLINE, tail(output)).isTrue();
    assertThat(p.exitValue()).as("exit code of %s; output:%n%s", command, tail(output)).isZero();
    return new Run(p.exitValue(), output);
  }

  /** Runs until the demo shows its first segment table, then stops it as a user would: Ctrl-C. */
  private static Run stopWithCtrlC(String command) throws Exception {
    Path log = Files.createTempFile(copy.getParent(), "readme-", ".log");
    Process p = start(command, log);
    try {
      Instant deadline = Instant.now().plus(BUILD_DEADLINE).plus(DEMO_DEADLINE);
      while (Instant.now().isBefore(deadline) && p.isAlive()
          && !Files.readString(log, StandardCharsets.UTF_8).contains("model version")) {
        p.waitFor(500, TimeUnit.MILLISECONDS); // poll interval of a wait with a deadline
      }
      assertThat(p.isAlive()).as("%s still running when it showed its first segments; output:%n%s", command,
          tail(Files.readString(log, StandardCharsets.UTF_8))).isTrue();
      // bash runs the last command of -c in its own process (exec): the demo's JVM is the shell's
      // process itself or one of its children.
      Optional<ProcessHandle> demo = Stream.concat(Stream.of(p.toHandle()), p.descendants())
          .filter(h -> h.info().commandLine().orElse("").contains("segmenter-tools.jar")).findFirst();
      assertThat(demo).as("the demo's JVM").isPresent();
      assertThat(ignoresSigint(demo.get().pid())).as("the demo's JVM was started with SIGINT ignored, so no Ctrl-C "
          + "can reach it: the tests were started in the background by a shell without job control (as with "
          + "`(bash .ci/run &)`); run them in the foreground, or with `set -m`").isFalse();
      new ProcessBuilder("kill", "-INT", Long.toString(demo.get().pid())).inheritIO().start().waitFor();
      boolean ended = p.waitFor(DEMO_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(ended).as("%s stopped within %s of Ctrl-C; output:%n%s", command, DEMO_DEADLINE, tail(output)).isTrue();
      // 130: the JVM's exit status after SIGINT, once its shutdown hook (the demo's clean stop) is done.
      assertThat(p.exitValue()).as("exit code of %s after Ctrl-C; output:%n%s", command, tail(output)).isIn(0, 130);
      return new Run(p.exitValue(), output);
    } finally {
      killAll(p);
    }
  }

  /**
   * Whether the process ignores SIGINT (bit 2 of the SigIgn mask in /proc): a JVM started so keeps
   * ignoring it, and a non-interactive shell that starts a background command without job control
   * sets it so. False where /proc is not there to tell.
   */
  private static boolean ignoresSigint(long pid) throws java.io.IOException {
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (!Files.exists(status)) return false;
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0x2L) != 0;
    }
    return false;
  }

  /** Nothing a command started outlives the test, whatever failed. */
  private static void killAll(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static Process start(String command, Path log) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(copy.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SEGMENTER_"));
    return pb.start();
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 40), lines.length));
  }

  /** The checkout's files without build output or git's data: what a fresh clone has. */
  private static void copySources(Path from, Path to) throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
        if (!dir.equals(from) && (name.startsWith("target") || name.equals(".git") || name.equals("node_modules"))) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        Files.createDirectories(to.resolve(from.relativize(dir)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, to.resolve(from.relativize(file)), StandardCopyOption.COPY_ATTRIBUTES);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private record Run(int exitCode, String output) { }
}
