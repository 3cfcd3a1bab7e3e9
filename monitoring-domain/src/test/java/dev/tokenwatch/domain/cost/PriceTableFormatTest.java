package dev.tokenwatch.domain.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table format: what it reads, what it writes, and errors naming line and field. */
class PriceTableFormatTest {

  private static final String HEADER = "# source: src\n# date: 2026-09-23\n";
  private static final String GOOD = "anthropic\tm\t-\t3\t15\t-\t-\t-\t-\n";

  private static PriceTableException error(String text) {
    try {
      PriceTable.parse(text, "prices.tsv");
    } catch (PriceTableException e) {
      return e;
    }
    throw new AssertionError("no error for " + text);
  }

  @Test
  void readsSourceDateTiersPeriodsAndAliases() {
    PriceTable table = PriceTable.parse(HEADER + "\n# a comment\n"
        + "anthropic\tm\t-\t3;>200000=6\t15\t3.75\t6\t0.3\tm-1,m-2\n"
        + "anthropic\tm\t2026-03-13\t3\t15\t3.75\t6\t0.3\t-\n"
        + "-\tn\t-\t-\t1.5\t-\t-\t-\t-\n", "prices.tsv");
    assertThat(table.source()).isEqualTo("src");
    assertThat(table.date()).contains(LocalDate.of(2026, 9, 23));
    assertThat(table.description()).isEqualTo("src of 2026-09-23");
    ModelPrice m = table.model("m").orElseThrow();
    assertThat(m.provider()).isEqualTo("anthropic");
    assertThat(m.aliases()).containsExactly("m-1", "m-2");
    assertThat(m.source()).isEqualTo("src of 2026-09-23");
    assertThat(m.periods()).hasSize(2);
    assertThat(m.periods().get(0).prices().input()).isEqualTo(new Rate(new java.math.BigDecimal("3"),
        List.of(new Rate.Tier(200_000, new java.math.BigDecimal("6")))));
    assertThat(m.periods().get(1).from()).isEqualTo(LocalDate.of(2026, 3, 13));
    ModelPrice n = table.model("n").orElseThrow();
    assertThat(n.provider()).isNull();
    assertThat(n.latest().input()).isNull();
    assertThat(PriceTable.parse(table.format(), "again").models()).isEqualTo(table.models());
  }

  @Test
  void errorsNameTheLineAndTheField() {
    PriceTableException e = error(HEADER + GOOD + "anthropic\tx\t-\tabc\t15\t-\t-\t-\t-\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.field()).isEqualTo("input");
    assertThat(e).hasMessage("prices.tsv line 4, field input: not a decimal number: \"abc\"");

    assertThat(error(HEADER + "a\tx\t-\t1\t2\n")).hasMessage(
        "prices.tsv line 3: expected 9 tab-separated fields (provider, model, from, input, output, cache_write, "
            + "cache_write_1h, cache_read, aliases), got 5");
    assertThat(error(HEADER + "a\tx\t-\t1\t-2\t-\t-\t-\t-\n"))
        .hasMessage("prices.tsv line 3, field output: must not be negative: \"-2\"");
    assertThat(error(HEADER + "a\tx\t-\t1\t2\t3;200000=6\t-\t-\t-\n"))
        .hasMessage("prices.tsv line 3, field cache_write: a tier must look like >200000=6, got \"3;200000=6\"");
    assertThat(error(HEADER + "a\tx\t-\t1\t2\t-\t3;>0=6\t-\t-\n"))
        .hasMessage("prices.tsv line 3, field cache_write_1h: tier threshold must be positive in \"3;>0=6\"");
    assertThat(error(HEADER + "a\tx\t-\t1\t2\t-\t-\t1;>5=2;>5=3\t-\n"))
        .hasMessage("prices.tsv line 3, field cache_read: two tiers above 5 in \"1;>5=2;>5=3\"");
    assertThat(error(HEADER + "a\tx\tmarch\t1\t2\t-\t-\t-\t-\n"))
        .hasMessage("prices.tsv line 3, field from: not a day (YYYY-MM-DD) or -: \"march\"");
    assertThat(error(HEADER + GOOD + "a\tx\t2026-01-01\t1\t2\t-\t-\t-\t-\n").field()).isEqualTo("from");
    assertThat(error(HEADER + GOOD + "a\tm\t2026-01-01\t1\t2\t-\t-\t-\t-\na\tm\t2026-01-01\t1\t2\t-\t-\t-\t-\n"))
        .hasMessage("prices.tsv line 5, field from: \"m\" already has prices from 2026-01-01");
    assertThat(error(HEADER + GOOD + GOOD))
        .hasMessage("prices.tsv line 4, field model: \"m\" already listed on line 3");
    assertThat(error(HEADER + "a\tx\t-\t-\t-\t1\t-\t-\t-\n"))
        .hasMessage("prices.tsv line 3, field input: a model needs an input or an output price");
    assertThat(error(HEADER + "a\t\t-\t1\t2\t-\t-\t-\t-\n").field()).isEqualTo("model");
    assertThat(error(HEADER + "a\tx\t-\t1\t2\t-\t-\t-\tx1,,x2\n").field()).isEqualTo("aliases");
    assertThat(error("# date: soon\n" + GOOD))
        .hasMessage("prices.tsv line 1, field date: not a day (YYYY-MM-DD): \"soon\"");
    assertThat(error(HEADER)).hasMessage("prices.tsv: no prices in the table");
  }
}
