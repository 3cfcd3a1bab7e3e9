package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenwatch.app.view.Format;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report --html} opened in a real browser (headless Chromium): a bar per period and model
 * with the JSON report's figures, the budget's line, the switch's script run, the table's totals
 * equal to {@code --json}'s and the text report's, and names that look like markup shown as text.
 */
class HtmlReportBrowserTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  CliHarness cli;

  @BeforeEach
  void setUp() {
    cli = new CliHarness(dir);
    cli.config("""
        budget: {name: team, limit: 30 USD, period: monthly}
        store: {type: file, path: usage}
        notifiers: []
        """);
  }

  private CliHarness.Result ok(String... args) {
    CliHarness.Result result = cli.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isZero();
    return result;
  }

  private Document open(String file, String fragment) throws Exception {
    return Jsoup.parse(HeadlessChromium.dumpDom(dir.resolve(file), fragment));
  }

  @Test
  void barsAndTotalsInTheBrowserAreTheJsonReports() throws Exception {
    ClaudeCodeTree tree = ClaudeCodeTree.write(dir.resolve("claude/projects"), 7);
    ok("ingest", "claude/projects");
    JsonNode json = JSON.readTree(ok("report", "daily", "--json").out());
    CliHarness.Result written = ok("report", "daily", "--html", "report.html");
    assertThat(written.out()).as("the page goes to the file, nothing to stdout").isEmpty();
    assertThat(written.err()).contains("wrote the HTML report to " + dir.resolve("report.html"));
    String html = Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8);
    Matcher addresses = Pattern.compile("(?i)(https?:|src=|href=|url\\(|@import)[^\"' )]*").matcher(html);
    List<String> found = new ArrayList<>();
    while (addresses.find()) {
      found.add(addresses.group());
    }
    assertThat(found).as("nothing to fetch: the only address is the SVG namespace")
        .containsOnly("http://www.w3.org/2000/svg");

    Document page = open("report.html", "tokens");
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(page.body().attr("data-measure")).as("the script ran: #tokens shows the tokens").isEqualTo("tokens");
    softly.assertThat(page.select("button[data-show=tokens]").attr("aria-pressed")).isEqualTo("true");
    softly.assertThat(page.select("button[data-show=cost]").attr("aria-pressed")).isEqualTo("false");

    Element tokens = page.selectFirst("svg[data-measure=tokens]");
    Element cost = page.selectFirst("svg[data-measure=cost]");
    int rows = 0;
    long oracleTotal = 0;
    for (JsonNode period : json.get("periods")) {
      String start = period.get("start").asText();
      for (JsonNode row : period.get("models")) {
        rows++;
        String selector = "rect.bar[data-period=\"" + start + "\"][data-key=\"" + row.get("model").asText() + "\"]";
        Elements tokenBar = tokens.select(selector);
        Elements costBar = cost.select(selector);
        softly.assertThat(tokenBar).as("one tokens bar for " + selector).hasSize(1);
        softly.assertThat(costBar).as("one cost bar for " + selector).hasSize(1);
        if (tokenBar.size() == 1 && costBar.size() == 1) {
          softly.assertThat(tokenBar.attr("data-value")).isEqualTo(row.get("totalTokens").asText());
          softly.assertThat(Double.parseDouble(tokenBar.attr("height"))).as("drawn").isPositive();
          softly.assertThat(new BigDecimal(costBar.attr("data-value"))).isEqualByComparingTo(row.get("costUsd").decimalValue());
        }
      }
      Elements limit = cost.select("line.limit[data-period=\"" + start + "\"]");
      softly.assertThat(limit).as("the budget's share of " + start).hasSize(1);
      softly.assertThat(limit.attr("data-value")).as("30 USD a month over November's 30 days").isEqualTo("1");
      oracleTotal += tree.perDay().getOrDefault(start, 0L);
    }
    softly.assertThat(rows).as("a row per period and model").isGreaterThan(20);
    softly.assertThat(tokens.select("rect.bar")).hasSize(rows);
    softly.assertThat(cost.select("rect.bar")).hasSize(rows);
    softly.assertThat(tokens.select("line.limit")).as("a USD budget has no line on the tokens chart").isEmpty();
    softly.assertThat(page.select("ul.legend li[data-key]")).hasSize(2);

    JsonNode total = json.get("total");
    softly.assertThat(total.get("totalTokens").asLong()).as("the generator's oracle").isEqualTo(oracleTotal);
    Element grand = page.selectFirst("tr.grand-total");
    for (String field : List.of("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens",
        "totalTokens", "calls")) {
      Element cell = grand.selectFirst("td[data-field=" + field + "]");
      softly.assertThat(cell.attr("data-value")).as(field).isEqualTo(total.get(field).asText());
      softly.assertThat(cell.text()).as(field + " as shown").isEqualTo(Format.tokens(total.get(field).asLong()));
    }
    softly.assertThat(new BigDecimal(grand.selectFirst("td[data-field=costUsd]").attr("data-value")))
        .isEqualByComparingTo(total.get("costUsd").decimalValue());
    for (JsonNode period : json.get("periods")) {
      Element row = page.selectFirst("tr.period-total[data-period=\"" + period.get("start").asText() + "\"]");
      softly.assertThat(row.selectFirst("td[data-field=totalTokens]").attr("data-value"))
          .isEqualTo(period.get("total").get("totalTokens").asText());
    }

    // the same cells as the text report's grand total line
    String text = ok("report", "daily").out();
    String allPeriods = text.lines().filter(l -> l.startsWith("All periods")).findFirst().orElseThrow();
    List<String> shown = grand.select("td").eachText();
    softly.assertThat(String.join("|", shown.subList(0, 9)))
        .isEqualTo(String.join("|", allPeriods.split("\\s{2,}")));
    softly.assertAll();
  }

  @Test
  void namesThatLookLikeMarkupAreShownAsText() throws Exception {
    String model = "<img src=x onerror=\"document.title='pwned'\">&amp;'m";
    String project = "</td></tr></table><script>document.body.setAttribute('data-pwned','1')</script>";
    cli.write("export.jsonl", "{\"model\":" + JSON.writeValueAsString(model) + ",\"inputTokens\":1000,"
        + "\"outputTokens\":10,\"timestamp\":\"2026-11-16T10:00:00Z\",\"requestId\":\"a\",\"costUsd\":0.25,"
        + "\"project\":" + JSON.writeValueAsString(project) + "}\n");
    ok("ingest", "--format", "tokenwatch", "export.jsonl");
    ok("report", "daily", "--html", "models.html");
    ok("report", "daily", "--by", "project", "--html", "projects.html");

    Document byModel = open("models.html", "");
    Document byProject = open("projects.html", "");
    SoftAssertions softly = new SoftAssertions();
    for (Document page : List.of(byModel, byProject)) {
      softly.assertThat(page.select("img")).as("no element from a name").isEmpty();
      softly.assertThat(page.select("script")).as("only the page's own script").hasSize(1);
      softly.assertThat(page.body().hasAttr("data-pwned")).isFalse();
      softly.assertThat(page.title()).isEqualTo(page == byModel ? "tokenwatch: daily report by model"
          : "tokenwatch: daily report by project");
      softly.assertThat(page.body().attr("data-measure")).as("cost first").isEqualTo("cost");
    }
    softly.assertThat(byModel.select("ul.legend li[data-key]").eachText()).containsExactly(model);
    softly.assertThat(byModel.select("tr.row td.key").eachText()).containsExactly(model);
    softly.assertThat(byModel.select("rect.bar").eachAttr("data-key")).containsExactly(model, model);
    softly.assertThat(byModel.select("rect.bar title").first().text()).isEqualTo("2026-11-16 · " + model
        + ": $0.25 (1,010 tokens)");
    softly.assertThat(byProject.select("tr.row td.key").eachText()).containsExactly(project);
    softly.assertThat(byProject.select("tr.grand-total td[data-field=costUsd]").text()).isEqualTo("$0.25");
    softly.assertAll();
  }

  @Test
  void htmlToStdoutIsThePageAndClashesWithJson() throws Exception {
    cli.write("export.jsonl", "{\"model\":\"gpt-4o\",\"inputTokens\":1000,\"outputTokens\":100,"
        + "\"timestamp\":\"2026-11-16T10:00:00Z\",\"requestId\":\"a\"}\n");
    ok("ingest", "--format", "tokenwatch", "export.jsonl");
    ok("report", "monthly", "--html", "page.html");
    CliHarness.Result stdout = ok("report", "monthly", "--html", "-");
    assertThat(stdout.out()).startsWith("<!DOCTYPE html>")
        .isEqualTo(Files.readString(dir.resolve("page.html"), StandardCharsets.UTF_8));
    CliHarness.Result both = ok("report", "monthly", "--html", "both.html", "--json");
    assertThat(JSON.readTree(both.out()).get("total").get("totalTokens").asLong()).isEqualTo(1100);
    assertThat(Files.readString(dir.resolve("both.html"))).contains("data-value=\"1100\"");

    CliHarness.Result clash = cli.run("report", "monthly", "--html", "-", "--json");
    assertThat(clash.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(clash.err()).isEqualTo("tokenwatch: --json and --html - both write to stdout: give --html a FILE\n");
    CliHarness.Result nowhere = cli.run("report", "monthly", "--html", "missing/page.html");
    assertThat(nowhere.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(nowhere.err()).isEqualTo("tokenwatch: --html missing/page.html: the directory "
        + dir.resolve("missing") + " does not exist\n");
  }

  @Test
  void anEmptyRangeSaysSo() {
    ok("report", "daily", "--html", "empty.html");
    assertThat(dir.resolve("empty.html")).content().contains("<p class=\"empty\">No usage recorded in this range.</p>")
        .doesNotContain("<svg");
  }
}
