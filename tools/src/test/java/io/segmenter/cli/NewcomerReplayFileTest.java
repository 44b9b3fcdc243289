package io.segmenter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, repro 3: replay reads and checks its file before it connects anywhere. Against a broker
 * that does not answer (127.0.0.1:1), a missing, empty, unparseable or orderless file is named at
 * once (no 15 s wait, let alone the 60 s it was), exit 2, in one line naming the file and what is wrong.
 */
class NewcomerReplayFileTest {
  private static final String HEADER = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n";
  /** Far below the connection wait: nothing connected. */
  private static final double LOCAL_SECONDS = 5;

  @TempDir
  Path dir;

  private static NewcomerCommandLine replay(Path file, String what) {
    return NewcomerCommandLine.run("replay", file.toString(), "--bootstrap-servers", "127.0.0.1:1",
        "--schema-registry-url", "http://127.0.0.1:2").print("replay of " + what);
  }

  private static void assertOneLineExitTwo(NewcomerCommandLine r, String expected) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).as(r.err()).singleElement().asString().isEqualTo(expected);
    assertThat(r.hasStackTrace()).isFalse();
    assertThat(r.seconds()).isLessThan(LOCAL_SECONDS);
  }

  @Test
  void aMissingFile() {
    Path file = dir.resolve("nope.csv");
    assertOneLineExitTwo(replay(file, "a missing file"), "segmenter replay: no such file or directory: " + file);
  }

  @Test
  void anEmptyFile() throws IOException {
    Path file = Files.writeString(dir.resolve("empty.csv"), "");
    assertOneLineExitTwo(replay(file, "an empty file"), "segmenter replay: " + file + ": the file is empty (no header line)");
  }

  @Test
  void aHeaderWithoutRows() throws IOException {
    Path file = Files.writeString(dir.resolve("header.csv"), HEADER);
    assertOneLineExitTwo(replay(file, "a header without rows"),
        "segmenter replay: " + file + ": no orders to replay: the file has a header but no rows");
  }

  @Test
  void rowsThatAreAllSkipped() throws IOException {
    Path file = Files.writeString(dir.resolve("skipped.csv"), HEADER
        + "100,A1,NO CUSTOMER,5,2010-01-02 09:00,1,,France\n"
        + "101,A1,NO CUSTOMER,5,2010-01-02 09:00,1,,France\n");
    assertOneLineExitTwo(replay(file, "rows that are all skipped"),
        "segmenter replay: " + file + ": no orders to replay: 2 rows read, all skipped (2 no customer id)");
  }

  @Test
  void aFileThatIsNotCsv() throws IOException {
    // An unterminated quote: the CSV parser fails in the middle of the rows, after the header fitted.
    Path file = Files.writeString(dir.resolve("broken.csv"), HEADER
        + "100,A1,\"BOX, RED,2,2010-01-02 10:01,1.5,12345.0,United Kingdom\n");
    NewcomerCommandLine r = replay(file, "a file with an unterminated quote");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).as(r.err()).singleElement().asString()
        .startsWith("segmenter replay: " + file + ": cannot be read as CSV (");
    assertThat(r.seconds()).isLessThan(LOCAL_SECONDS);
  }

  @Test
  void aTruncatedGzipFile() throws IOException {
    Path file = dir.resolve("orders.csv.gz");
    byte[] whole;
    try (var bytes = new java.io.ByteArrayOutputStream(); OutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write((HEADER + "100,A1,BOX,2,2010-01-02 10:01,1.5,12345.0,United Kingdom\n".repeat(200))
          .getBytes(StandardCharsets.UTF_8));
      gz.close();
      whole = bytes.toByteArray();
    }
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
    NewcomerCommandLine r = replay(file, "a truncated .csv.gz");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errLines()).as(r.err()).singleElement().asString()
        .startsWith("segmenter replay: " + file + ": cannot be read as CSV (");
    assertThat(r.seconds()).isLessThan(LOCAL_SECONDS);
  }
}
