package io.segmenter.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmenter.access.Role;
import io.segmenter.access.TokenFile;
import io.segmenter.events.OrderEvent;
import io.segmenter.events.OrderStatus;
import io.segmenter.serde.SpecificAvroSerde;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The page at {@code /}, in a real browser (Debian's chromium, driven by its chromedriver through
 * Selenium), against the demo's running service: the tools' jar's {@code demo} as its own process,
 * with its in-JVM broker, registry and live trickle of events, and access control on (the demo's is
 * off by default) with one reader token, which the page is given as a user gives it. The page must
 * load without a console error, show every segment of {@code /segments} with the same population,
 * draw one centre per centre of {@code /model}, show for a customer the segment {@code /customers/{id}}
 * gives, and, after orders of new customers are produced to the demo's Kafka, show the new total
 * without a reload. Then, in a tab without the token, the page must say which role is missing and
 * work once the token is typed in. Screenshots of the map, flows and lookup (and of the whole page)
 * go to {@code target/screenshots/}. Skipped, saying so, where chromium or chromedriver is not
 * installed.
 */
class SegmentMapBrowserIT {
  private static final Path CHROMIUM = Path.of(System.getProperty("segmenter.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getProperty("segmenter.chromedriver", "/usr/bin/chromedriver"));
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Pattern HTTP_LINE = Pattern.compile("(?m)^  HTTP +(http://\\S+?)/segments");
  private static final Pattern KAFKA_LINE = Pattern.compile("(?m)^  Kafka +(\\S+)");
  private static final Pattern REGISTRY_LINE = Pattern.compile("(?m)^  registry +(\\S+)");
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final int NEW_CUSTOMERS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** The reader token of this run (a reader may do all that ops may: the whole page). */
  private static final String TOKEN = TokenFile.newToken(new SecureRandom());

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void thePageShowsWhatTheApiSaysAndFollowsItWithoutAReload() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromedriver (apt-get install chromium chromium-driver; .ci/run installs them): "
            + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
    Instant start = Instant.now();
    Path tokens = Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "browser-tokens-", ".txt");
    Files.writeString(tokens, TokenFile.line(Role.READER, "browser-it", TOKEN) + "\n");
    try (SegmenterProcess demo = SegmenterProcess.start("browser-demo", Map.of(), -1, "demo", "--customers", "300",
        "--days", "21", "--http-port", "0", "--plain", "--duration", "600", "--live-rate", "5",
        "-s", "segmenter.http.access.control=true", "-s", "segmenter.http.tokens.file=" + tokens)) {
      String base = printed(demo, HTTP_LINE);
      String kafka = printed(demo, KAFKA_LINE);
      String registry = printed(demo, REGISTRY_LINE);
      // Chrome logs every failed fetch (a 404 of /model before the first version included) as a
      // console error: the page is opened once the model exists and the history is in.
      await("the first model and ready", () -> status(base + "/model") == 200 && status(base + "/health/ready") == 200);
      await("the demo's history processed (its view says live)", () -> demo.logText().contains("| live |"));
      Duration demoUp = Duration.between(start, Instant.now());

      assertThat(anonymous(base + "/segments").statusCode()).as("access control is on").isEqualTo(401);
      assertThat(demo.logText()).as("the demo says access control is on, as set").contains("access control ON as set")
          .doesNotContain("access control off");

      ChromeDriver browser = chrome();
      try {
        // The token as the page keeps it (this tab's session storage), put there before the page
        // loads: a call without it would be a 401, which the console reports.
        browser.get(base + "/ui/favicon.svg");
        browser.executeScript("sessionStorage.setItem('segmenter.token', arguments[0]);", TOKEN);
        // Reading the console empties it: what is left of that detour is Chrome asking for
        // /favicon.ico, which it does for a document that is not a page with an icon of its own.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("the console before the page")
            .allMatch(e -> e.getMessage().contains("/favicon.ico"));
        browser.get(base + "/");
        assertThat(browser.getTitle()).contains("segmenter");
        await("the page's first segments and centres", () -> !browser.findElements(By.cssSelector("#segments-table tbody tr")).isEmpty()
            && !browser.findElements(By.cssSelector("#map-svg circle.centre")).isEmpty());
        String marker = UUID.randomUUID().toString();
        browser.executeScript("window.segmenterTestMarker = arguments[0];", marker);

        sameSegmentsAsTheApi(browser, base);
        oneCentrePerCentreOfTheModel(browser, base);
        sameFlowsAsTheApi(browser, base);
        String customer = lookUpACustomer(browser, base);
        shot(browser, "#map", "map");
        shot(browser, "#flows", "flows");
        shot(browser, "#lookup", "lookup");

        long before = json(base + "/segments").get("customers").asLong();
        produceOrdersOfNewCustomers(kafka, registry);
        await("the page's total grown by " + NEW_CUSTOMERS + " new customers, as /segments'", () -> {
          long page = pageTotal(browser);
          return page >= before + NEW_CUSTOMERS && page == json(base + "/segments").get("customers").asLong();
        });
        assertThat(browser.executeScript("return window.segmenterTestMarker;"))
            .as("the same page, not reloaded").isEqualTo(marker);
        sameSegmentsAsTheApi(browser, base);
        wholePage(browser);

        List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
        List<String> severe = console.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::toString).toList();
        assertThat(severe).as("console errors of the page").isEmpty();
        long total = pageTotal(browser);
        String asked = theTokenFormInANewTab(browser, base);
        System.out.printf("SegmentMapBrowserIT: demo live in %.1f s; page agreed with /segments, /model, /flows and "
            + "/customers/%s; total %d -> %d without a reload; %d console entries, none severe; a tab without the "
            + "token said \"%s\" and worked once given it; %.1f s in all%n",
            demoUp.toMillis() / 1000.0, customer, before, total, console.size(), asked,
            Duration.between(start, Instant.now()).toMillis() / 1000.0);
      } finally {
        browser.quit();
      }
      assertThat(demo.stop(Duration.ofSeconds(60))).as("the demo's exit code after SIGTERM").isIn(0, 143);
    }
  }

  /**
   * A tab of its own has no token: the page's calls are refused (401, which the console reports: this
   * comes after the check of the console), the page asks for a token naming the role, and works with it.
   */
  private static String theTokenFormInANewTab(ChromeDriver browser, String base) throws Exception {
    browser.switchTo().newWindow(WindowType.TAB);
    browser.get(base + "/");
    await("the page asking for a token", () -> browser.findElement(By.id("access")).isDisplayed());
    String asked = browser.findElement(By.id("access-message")).getText();
    assertThat(asked).contains("401").contains("ops role");
    assertThat(browser.findElements(By.cssSelector("#segments-table tbody tr"))).as("no data without a token").isEmpty();
    browser.findElement(By.id("token")).sendKeys(TOKEN);
    browser.findElement(By.id("token-save")).click();
    await("the page with the token typed in", () -> !browser.findElements(By.cssSelector("#segments-table tbody tr")).isEmpty()
        && !browser.findElement(By.id("access")).isDisplayed());
    sameSegmentsAsTheApi(browser, base);
    return asked;
  }

  /** Every segment of /segments is a row with the same name and population (live traffic moves them: polled). */
  private static void sameSegmentsAsTheApi(ChromeDriver browser, String base) throws Exception {
    String[] last = new String[2];
    await(() -> "the table as /segments: page " + last[0] + ", API " + last[1], () -> {
      Map<Integer, String> page = pageSegments(browser);
      Map<Integer, String> api = new TreeMap<>();
      for (JsonNode s : json(base + "/segments").get("segments")) {
        api.put(s.get("id").asInt(), s.get("name").asText() + " " + s.get("population").asLong());
      }
      last[0] = page.toString();
      last[1] = api.toString();
      return page.equals(api);
    });
  }

  private static Map<Integer, String> pageSegments(ChromeDriver browser) {
    Map<Integer, String> rows = new TreeMap<>();
    for (WebElement row : browser.findElements(By.cssSelector("#segments-table tbody tr"))) {
      String population = row.findElement(By.cssSelector(".population")).getDomAttribute("data-value");
      rows.put(Integer.parseInt(row.getDomAttribute("data-segment-id")), row.getDomAttribute("data-name") + " " + population);
    }
    return rows;
  }

  private static long pageTotal(ChromeDriver browser) {
    return Long.parseLong(browser.findElement(By.id("total-population")).getDomAttribute("data-value"));
  }

  /** One circle.centre per centre of /model, for the same segment ids. */
  private static void oneCentrePerCentreOfTheModel(ChromeDriver browser, String base) throws Exception {
    String[] last = new String[2];
    await(() -> "the map's centres as /model's: page " + last[0] + ", API " + last[1], () -> {
      TreeSet<Integer> page = new TreeSet<>();
      for (WebElement c : browser.findElements(By.cssSelector("#map-svg circle.centre"))) {
        page.add(Integer.parseInt(c.getDomAttribute("data-segment-id")));
      }
      TreeSet<Integer> api = new TreeSet<>();
      JsonNode centres = json(base + "/model").get("centres");
      centres.forEach(c -> api.add(c.get("id").asInt()));
      last[0] = page.size() + " " + page;
      last[1] = centres.size() + " " + api;
      return page.size() == browser.findElements(By.cssSelector("#map-svg circle.centre")).size()
          && page.equals(api) && centres.size() == api.size();
    });
  }

  /** The flows' counts of the last hour and day as /flows gives them. */
  private static void sameFlowsAsTheApi(ChromeDriver browser, String base) throws Exception {
    String[] last = new String[2];
    await(() -> "the flows' changes as /flows': page " + last[0] + ", API " + last[1], () -> {
      String page = browser.findElement(By.cssSelector("#flow-hour .changes")).getDomAttribute("data-value") + " "
          + browser.findElement(By.cssSelector("#flow-day .changes")).getDomAttribute("data-value");
      JsonNode windows = json(base + "/flows").get("windows");
      last[0] = page;
      last[1] = windows.at("/hour/changes").asLong() + " " + windows.at("/day/changes").asLong();
      return page.equals(last[1]) && !browser.findElements(By.cssSelector("#flow-day .sankey .band")).isEmpty();
    });
  }

  /**
   * Looks up one of the demo's generated customers and finds the segment /customers/{id} gives, and as
   * many history entries. Looked up again if the customer moved between the page's read and the test's.
   */
  private static String lookUpACustomer(ChromeDriver browser, String base) throws Exception {
    String customer = "cust-000007";
    String[] last = new String[2];
    await(() -> "the lookup of " + customer + " as /customers/{id}: page " + last[0] + ", API " + last[1], () -> {
      WebElement input = browser.findElement(By.id("lookup-id"));
      input.clear();
      input.sendKeys(customer);
      browser.findElement(By.id("lookup-go")).click();
      awaitQuietly(() -> "found".equals(browser.findElement(By.id("lookup-result")).getDomAttribute("data-state")));
      JsonNode api = json(base + "/customers/" + customer);
      WebElement result = browser.findElement(By.id("lookup-result"));
      last[0] = result.findElement(By.cssSelector(".segment-name")).getText() + ", "
          + result.findElements(By.cssSelector("table.history tbody tr")).size() + " changes";
      last[1] = api.at("/segment/name").asText() + ", " + api.get("history").size() + " changes";
      return last[0].equals(last[1]);
    });
    return customer;
  }

  /** Orders of customers the demo has never seen, produced as a client would: Avro through the demo's registry. */
  private static void produceOrdersOfNewCustomers(String kafka, String registry) throws Exception {
    try (SpecificAvroSerde<OrderEvent> serde = new SpecificAvroSerde<>(OrderEvent.class)) {
      serde.configure(Map.of("schema.registry.url", registry), false);
      produce(kafka, serde);
    }
  }

  private static void produce(String kafka, SpecificAvroSerde<OrderEvent> serde) throws Exception {
    try (KafkaProducer<String, OrderEvent> producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka),
        new StringSerializer(), serde.serializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < NEW_CUSTOMERS; i++) {
        String customer = "browser-it-" + i;
        // The demo's orders topic (segmenter.topic.orders' default).
        sent.add(producer.send(new ProducerRecord<>("orders", customer, OrderEvent.newBuilder()
            .setOrderId("browser-it-order-" + i).setCustomerId(customer).setStatus(OrderStatus.PLACED)
            .setAmount(new BigDecimal("49.9000")).setCurrency("EUR").setItemCount(1)
            .setOccurredAt(Instant.now()).build())));
      }
      for (var s : sent) s.get(30, TimeUnit.SECONDS);
    }
  }

  private static ChromeDriver chrome() {
    // Set explicitly, so that Selenium Manager never looks for (or downloads) a driver or a browser.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1366,900", "--hide-scrollbars");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  private static void shot(ChromeDriver browser, String selector, String name) throws Exception {
    WebElement section = browser.findElement(By.cssSelector(selector));
    browser.executeScript("arguments[0].scrollIntoView();", section);
    save(section.getScreenshotAs(OutputType.FILE).toPath(), name);
  }

  /** The whole page at the laptop's width: the window made as tall as the page, then back. */
  private static void wholePage(ChromeDriver browser) throws Exception {
    Dimension window = browser.manage().window().getSize();
    long height = ((Number) ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollHeight;")).longValue();
    browser.manage().window().setSize(new Dimension(window.getWidth(), (int) height + 100));
    try {
      browser.executeScript("window.scrollTo(0, 0);");
      save(browser.getScreenshotAs(OutputType.FILE).toPath(), "page");
    } finally {
      browser.manage().window().setSize(window);
    }
  }

  private static void save(Path png, String name) throws Exception {
    Files.createDirectories(SCREENSHOTS);
    Path target = SCREENSHOTS.resolve("segment-map-" + name + ".png");
    Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
    System.out.printf("SegmentMapBrowserIT: screenshot %s (%,d bytes)%n", target.toAbsolutePath(), Files.size(target));
  }

  /** An address the demo prints at start (it prints them before anything else runs). */
  private static String printed(SegmenterProcess demo, Pattern line) throws Exception {
    String[] found = new String[1];
    await("the demo's printed " + line.pattern(), () -> {
      assertThat(demo.isAlive()).as("the demo is running; its output:%n%s", demo.logText()).isTrue();
      Matcher m = line.matcher(demo.logText());
      if (!m.find()) return false;
      found[0] = m.group(1).replace("localhost", "127.0.0.1");
      return true;
    });
    return found[0];
  }

  private static int status(String url) throws Exception {
    try {
      return get(url).statusCode();
    } catch (java.io.IOException notListeningYet) {
      return -1;
    }
  }

  private static JsonNode json(String url) throws Exception {
    HttpResponse<String> r = get(url);
    assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
        .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> anonymous(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    await(() -> what, check);
  }

  /** Polls {@code check} until it holds; fails with {@code what} (read at the end) after the deadline. */
  private static void await(java.util.function.Supplier<String> what, Check check) throws Exception {
    Instant deadline = Instant.now().plus(DEADLINE);
    while (!check.holds()) {
      if (Instant.now().isAfter(deadline)) throw new AssertionError("not within " + DEADLINE + ": " + what.get());
      TimeUnit.MILLISECONDS.sleep(200); // poll interval of a condition with a deadline
    }
  }

  /** Like await, but a few seconds only and without failing: the caller's own check decides. */
  private static void awaitQuietly(Check check) throws Exception {
    Instant deadline = Instant.now().plusSeconds(10);
    while (!check.holds() && Instant.now().isBefore(deadline)) {
      TimeUnit.MILLISECONDS.sleep(100); // poll interval of a condition with a deadline
    }
  }
}
