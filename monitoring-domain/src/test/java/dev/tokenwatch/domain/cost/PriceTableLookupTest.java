package dev.tokenwatch.domain.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.cost.PriceMatch.Rule;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The matching rules, overrides, and the built-in table. */
class PriceTableLookupTest {

  private static final PriceTable TABLE = PriceTable.parse("""
      # source: test
      anthropic\tclaude-sonnet-4-5\t-\t3\t15\t3.75\t6\t0.3\t-
      anthropic\tclaude-opus-4-0\t-\t15\t75\t18.75\t30\t1.5\tclaude-opus-4,claude-opus-4-20250514
      anthropic\tclaude-3-5-haiku-latest\t-\t0.8\t4\t1\t1.6\t0.08\t-
      openai\tgpt-4o\t-\t2.5\t10\t-\t-\t1.25\tgpt-4o-2024-08-06
      openai\tgpt-4o-2024-05-13\t-\t5\t15\t-\t-\t-\t-
      mistral\tmistral-large\t-\t2\t6\t-\t-\t-\t-
      aws\tregional.anthropic.claude-sonnet-4-5-20250929-v1:0\t-\t3.3\t16.5\t4.125\t-\t0.33\t-
      """, "test.tsv");

  private static void assertMatch(String name, Rule rule, String matchedName, String model) {
    Optional<PriceMatch> match = TABLE.lookup(name);
    assertThat(match).as(name).isPresent();
    assertThat(match.get().rule()).as(name).isEqualTo(rule);
    assertThat(match.get().matchedName()).as(name).isEqualTo(matchedName);
    assertThat(match.get().price().model()).as(name).isEqualTo(model);
    assertThat(match.get().name()).isEqualTo(name);
  }

  @Test
  void exactIdFirst() {
    assertMatch("claude-sonnet-4-5", Rule.EXACT, "claude-sonnet-4-5", "claude-sonnet-4-5");
    // a dated id of its own wins over the normalised form
    assertMatch("gpt-4o-2024-05-13", Rule.EXACT, "gpt-4o-2024-05-13", "gpt-4o-2024-05-13");
  }

  @Test
  void aliasesOfTheSource() {
    assertMatch("claude-opus-4-20250514", Rule.ALIAS, "claude-opus-4-20250514", "claude-opus-4-0");
    assertMatch("gpt-4o-2024-08-06", Rule.ALIAS, "gpt-4o-2024-08-06", "gpt-4o");
  }

  @Test
  void providerPrefixes() {
    assertMatch("anthropic/claude-sonnet-4-5", Rule.PROVIDER_PREFIX, "claude-sonnet-4-5", "claude-sonnet-4-5");
    assertMatch("openrouter/openai/gpt-4o", Rule.PROVIDER_PREFIX, "gpt-4o", "gpt-4o");
    assertMatch("openai/gpt-4o-2024-08-06", Rule.PROVIDER_PREFIX, "gpt-4o-2024-08-06", "gpt-4o");
    // Bedrock: a geographic prefix is priced as the source's regional id
    assertMatch("us.anthropic.claude-sonnet-4-5-20250929-v1:0", Rule.PROVIDER_PREFIX,
        "regional.anthropic.claude-sonnet-4-5-20250929-v1:0", "regional.anthropic.claude-sonnet-4-5-20250929-v1:0");
  }

  @Test
  void dateSuffixesAreNormalisedAway() {
    assertMatch("claude-sonnet-4-5-20250929", Rule.NORMALISED, "claude-sonnet-4-5", "claude-sonnet-4-5");
    assertMatch("claude-sonnet-4-5@20250929", Rule.NORMALISED, "claude-sonnet-4-5", "claude-sonnet-4-5");
    assertMatch("gpt-4o-2024-11-20", Rule.NORMALISED, "gpt-4o", "gpt-4o");
  }

  @Test
  void latestAndVersionSuffixes() {
    assertMatch("mistral-large-latest", Rule.NORMALISED, "mistral-large", "mistral-large");
    // the normalised name of a table id: claude-3-5-haiku-latest is also claude-3-5-haiku-<date>
    assertMatch("claude-3-5-haiku-20241022", Rule.NORMALISED, "claude-3-5-haiku-latest", "claude-3-5-haiku-latest");
    // a Bedrock name without a geographic prefix: vendor stripped, then version and date
    assertMatch("anthropic.claude-sonnet-4-5-20250929-v1:0", Rule.NORMALISED, "claude-sonnet-4-5",
        "claude-sonnet-4-5");
    assertMatch("anthropic/claude-opus-4-20250514", Rule.PROVIDER_PREFIX, "claude-opus-4-20250514",
        "claude-opus-4-0");
  }

  @Test
  void aNameNoRuleMatchesIsUnpriced() {
    assertThat(TABLE.lookup("my-llama")).isEmpty();
    assertThat(TABLE.lookup("claude-sonnet-4")).isEmpty(); // no prefix match: 4 is not 4-5
    assertThat(TABLE.lookup("Claude-Sonnet-4-5")).isEmpty(); // case-sensitive
    assertThat(TABLE.lookup("latest")).isEmpty();
    assertThat(TABLE.lookup("20250929")).isEmpty();
  }

  @Test
  void overridesReplaceAndAddWithTheirSource() {
    ModelPrice discounted = ModelPrice.of("claude-opus-4-0", new Prices(Rate.of("10"), Rate.of("50"), null, null,
        null), "tokenwatch.yaml line 12");
    ModelPrice llama = ModelPrice.of("my-llama", new Prices(Rate.of("0.2"), Rate.of("0.6"), null, null, null),
        "tokenwatch.yaml line 15");
    PriceTable table = TABLE.withOverrides(List.of(discounted, llama));

    PriceMatch viaAlias = table.lookup("claude-opus-4-20250514").orElseThrow();
    assertThat(viaAlias.rule()).isEqualTo(Rule.ALIAS); // the override keeps the table's aliases
    assertThat(viaAlias.price().source()).isEqualTo("tokenwatch.yaml line 12");
    assertThat(viaAlias.price().latest().input().base()).isEqualByComparingTo("10");
    assertThat(table.lookup("my-llama").orElseThrow().price().source()).isEqualTo("tokenwatch.yaml line 15");
    assertThat(table.lookup("openai/my-llama").orElseThrow().rule()).isEqualTo(Rule.PROVIDER_PREFIX);
    assertThat(table.models()).hasSize(TABLE.models().size() + 1);
    assertThat(table.models().get(table.models().size() - 1).model()).isEqualTo("my-llama");
    // the original table is unchanged
    assertThat(TABLE.lookup("my-llama")).isEmpty();
    assertThat(TABLE.lookup("claude-opus-4").orElseThrow().price().source()).isEqualTo("test");
  }

  @Test
  void theBuiltInTable() {
    PriceTable builtIn = PriceTable.builtIn();
    assertThat(builtIn.source()).startsWith("@pydantic/genai-prices 0.1.8 (MIT");
    assertThat(builtIn.date()).hasValueSatisfying(d -> assertThat(d.toString()).isEqualTo("2026-09-23"));
    assertThat(builtIn.models()).hasSizeGreaterThan(250);
    assertThat(builtIn.lookup("claude-sonnet-4-5-20250929").orElseThrow().price().model())
        .isEqualTo("claude-sonnet-4-5");
    assertThat(builtIn.lookup("claude-sonnet-4-20250514").orElseThrow().price().model())
        .isEqualTo("claude-sonnet-4-0");
    assertThat(builtIn.lookup("claude-3-5-haiku-20241022").orElseThrow().price().model())
        .isEqualTo("claude-3-5-haiku-latest");
    assertThat(builtIn.lookup("gpt-4o-mini-2024-07-18").orElseThrow().price().model()).isEqualTo("gpt-4o-mini");
    assertThat(builtIn.lookup("us.anthropic.claude-sonnet-4-5-20250929-v1:0").orElseThrow().price().provider())
        .isEqualTo("aws");
    assertThat(builtIn.lookup("gemini-2.5-pro")).isPresent();
    assertThat(builtIn.lookup("my-llama")).isEmpty();
    // the table writes itself back as it was read
    assertThat(PriceTable.parse(builtIn.format(), "again").models()).isEqualTo(builtIn.models().stream()
        .map(m -> m.withSource(PriceTable.parse(builtIn.format(), "again").description())).toList());
  }
}
