package dev.tokenwatch.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.config.ConfigException;
import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Rate;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The genai-prices converter on a small hand-written copy of the source's data. */
class GenaiPricesConverterTest {

  private static final LocalDate DAY = LocalDate.of(2026, 9, 23);

  static final String SOURCE = """
      [
        {"id": "cohere", "models": [{"id": "command", "match": {"equals": "command"},
          "prices": {"input_mtok": 1, "output_mtok": 2}}]},
        {"id": "google", "models": [
          {"id": "claude-3-5-haiku", "match": {"equals": "claude-3-5-haiku"},
           "prices": {"input_mtok": 0.8, "output_mtok": 4}},
          {"id": "gemini-x", "match": {"or": [{"equals": "gemini-x"}, {"equals": "gemini-x-001"}]},
           "prices": {"input_mtok": {"base": 1.25, "tiers": [{"start": 200000, "price": 2.5}]}, "output_mtok": 10}}
        ]},
        {"id": "anthropic", "models": [
          {"id": "claude-3-5-haiku-latest", "match": {"starts_with": "claude-3-5-haiku"},
           "prices": {"input_mtok": 0.8, "cache_write_mtok": 1, "cache_read_mtok": 0.08, "output_mtok": 4,
                      "cache_write_1h_mtok": 1.6, "web_searches_kcount": 10}},
          {"id": "claude-sonnet-4-6", "match": {"or": [{"equals": "claude-sonnet-4-6"},
              {"and": [{"equals": "not-an-alias"}, {"contains": "x"}]}, {"equals": "sonnet-46"}]},
           "prices": [
             {"prices": {"input_mtok": {"base": 3, "tiers": [{"start": 200000, "price": 6}]}, "output_mtok": 15}},
             {"constraint": {"type": "start_date", "start_date": "2026-03-13"},
              "prices": {"input_mtok": 3, "output_mtok": 15}}]},
          {"id": "image-only", "match": {"equals": "image-only"}, "prices": {"output_image_mtok": 30}}
        ]},
        {"id": "deepseek", "models": [
          {"id": "deepseek-chat", "match": {"equals": "deepseek-chat"}, "prices": [
            {"prices": {"input_mtok": 0.135, "cache_read_mtok": 0.035, "output_mtok": 0.55}},
            {"constraint": {"type": "time_of_date", "start_time": "00:30:00Z", "end_time": "16:30:00Z"},
             "prices": {"input_mtok": 0.27, "cache_read_mtok": 0.07, "output_mtok": 1.1}}]}
        ]}
      ]
      """;

  @Test
  void keepsTheProvidersInOrderTokenPricesDatedEntriesAndAliases() {
    GenaiPricesConverter.Result result = GenaiPricesConverter.convert(SOURCE, "data.json", "genai-prices test", DAY);
    PriceTable table = result.table();
    assertThat(table.models()).extracting(ModelPrice::model)
        .containsExactly("claude-3-5-haiku-latest", "claude-sonnet-4-6", "gemini-x", "deepseek-chat");
    assertThat(table.description()).isEqualTo("genai-prices test of 2026-09-23");

    ModelPrice haiku = table.model("claude-3-5-haiku-latest").orElseThrow();
    assertThat(haiku.provider()).isEqualTo("anthropic");
    assertThat(haiku.latest().cacheWrite1h()).isEqualTo(Rate.of("1.6"));
    assertThat(haiku.latest().cacheRead()).isEqualTo(Rate.of("0.08"));

    ModelPrice sonnet = table.model("claude-sonnet-4-6").orElseThrow();
    assertThat(sonnet.aliases()).containsExactly("sonnet-46"); // not the id, not inside "and"
    assertThat(sonnet.periods()).hasSize(2);
    assertThat(sonnet.periods().get(0).prices().input())
        .isEqualTo(new Rate(new BigDecimal("3"), List.of(new Rate.Tier(200_000, new BigDecimal("6")))));
    assertThat(sonnet.periods().get(1).from()).isEqualTo(LocalDate.of(2026, 3, 13));

    assertThat(table.model("gemini-x").orElseThrow().aliases()).containsExactly("gemini-x-001");
    // decimals exactly as written, no binary floating point on the way
    assertThat(table.model("deepseek-chat").orElseThrow().periods()).hasSize(1);
    assertThat(table.model("deepseek-chat").orElseThrow().latest().input().base()).isEqualTo(new BigDecimal("0.135"));

    // google's claude-3-5-haiku is what anthropic's claude-3-5-haiku-latest answers to: skipped
    assertThat(result.skippedDuplicates()).isEqualTo(1);
    assertThat(result.skippedWithoutTokenPrices()).isEqualTo(1);
    assertThat(result.skippedTimeOfDay()).isEqualTo(1);
    // the result reads back through the table format
    assertThat(PriceTable.parse(table.format(), "t").models()).extracting(ModelPrice::model)
        .containsExactly("claude-3-5-haiku-latest", "claude-sonnet-4-6", "gemini-x", "deepseek-chat");
  }

  @Test
  void aMalformedSourceNamesTheFileAndTheJsonPath() {
    assertThatThrownBy(() -> GenaiPricesConverter.convert("{\"id\": ", "data.json", "s", DAY))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("data.json: not JSON line 1 column");
    assertThatThrownBy(() -> GenaiPricesConverter.convert("{}", "data.json", "s", DAY))
        .hasMessage("data.json: at $: expected an array of providers");
    assertThatThrownBy(() -> GenaiPricesConverter.convert(
        "[{\"id\": \"anthropic\", \"models\": [{\"id\": \"m\", \"prices\": {\"input_mtok\": \"cheap\"}}]}]",
        "data.json", "s", DAY))
        .hasMessage("data.json: at $[0].models[0].prices.input_mtok: expected a number or "
            + "{base: number, tiers: [{start, price}]}");
    assertThatThrownBy(() -> GenaiPricesConverter.convert(
        "[{\"id\": \"openai\", \"models\": [{\"id\": \"m\", \"prices\": {\"output_mtok\": "
            + "{\"base\": 1, \"tiers\": [{\"start\": -5, \"price\": 2}]}}}]}]", "data.json", "s", DAY))
        .hasMessage("data.json: at $[0].models[0].prices.output_mtok.tiers[0]: "
            + "expected {start: positive whole number, price: number}");
    assertThatThrownBy(() -> GenaiPricesConverter.convert(
        "[{\"id\": \"openai\", \"models\": [{\"id\": \"m\", \"prices\": [{\"constraint\": "
            + "{\"type\": \"start_date\", \"start_date\": \"soon\"}, \"prices\": {\"input_mtok\": 1}}]}]}]",
        "data.json", "s", DAY))
        .hasMessage("data.json: at $[0].models[0].prices[0].constraint.start_date: not a day: \"soon\"");
    assertThatThrownBy(() -> GenaiPricesConverter.convert("[{\"id\": \"openai\"}]", "data.json", "s", DAY))
        .hasMessage("data.json: at $[0].models: expected an array of models");
    assertThatThrownBy(() -> GenaiPricesConverter.convert(
        "[{\"id\": \"openai\", \"models\": [{\"id\": \"m\", \"prices\": {\"input_mtok\": -1}}]}]",
        "data.json", "s", DAY))
        .hasMessage("data.json: at $[0].models[0].prices.input_mtok: must not be negative, got -1");
  }
}
