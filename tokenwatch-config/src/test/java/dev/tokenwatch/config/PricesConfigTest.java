package dev.tokenwatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.Rate;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code prices:} configuration key. */
class PricesConfigTest {

  @TempDir
  Path dir;

  private AppConfig parse(String yaml) {
    TestEnvironment harness = new TestEnvironment(dir);
    harness.variables.put("LLAMA_INPUT", "0.25");
    return new ConfigLoader(harness.environment()).parse(yaml, "tokenwatch.yaml", dir.resolve("tokenwatch.yaml"));
  }

  @Test
  void readsModelsWithTheirLineAsSource() {
    AppConfig config = parse("""
        budget:
          limit: 1000
        prices:
          my-llama: {input: 0.2, output: 0.6}
          claude-sonnet-4-5:
            input: ${LLAMA_INPUT}
            output: 12
            cacheWrite: 3
            cacheWrite1h: 5
            cacheRead: 0.25
        """);
    assertThat(config.prices()).extracting(ModelPrice::model).containsExactly("my-llama", "claude-sonnet-4-5");
    ModelPrice llama = config.prices().get(0);
    assertThat(llama.source()).isEqualTo("tokenwatch.yaml line 4");
    assertThat(llama.latest().input()).isEqualTo(Rate.of("0.2"));
    assertThat(llama.latest().output()).isEqualTo(Rate.of("0.6"));
    assertThat(llama.latest().cacheRead()).isNull();
    ModelPrice sonnet = config.prices().get(1);
    assertThat(sonnet.source()).isEqualTo("tokenwatch.yaml line 5");
    assertThat(sonnet.latest().input()).isEqualTo(Rate.of("0.25"));
    assertThat(sonnet.latest().cacheWrite1h()).isEqualTo(Rate.of("5"));
    assertThat(parse("budget:\n  limit: 5\n").prices()).isEmpty();
    assertThat(parse("prices:\n").prices()).isEmpty();
    assertThat(parse("prices:\n  free-model: {output: 0}\n").prices().get(0).latest().input()).isNull();
  }

  @Test
  void errorsNameFileLineKeyAndValue() {
    assertThatThrownBy(() -> parse("price:\n  m: {input: 1}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("tokenwatch.yaml line 1: price is not a known key; did you mean prices?");
    assertThatThrownBy(() -> parse("prices: 3\n"))
        .hasMessageStartingWith("tokenwatch.yaml line 1: prices must be a mapping of model names to prices");
    assertThatThrownBy(() -> parse("prices:\n  m: 0.2\n"))
        .hasMessage("tokenwatch.yaml line 2: prices.m must be a mapping with keys such as input, output, "
            + "cacheWrite, cacheWrite1h, cacheRead, got a value");
    assertThatThrownBy(() -> parse("prices:\n  m:\n    input: 1\n    ouput: 2\n"))
        .hasMessage("tokenwatch.yaml line 4: prices.m.ouput is not a known key; did you mean prices.m.output?");
    assertThatThrownBy(() -> parse("prices:\n  m:\n    input: -0.1\n"))
        .hasMessage("tokenwatch.yaml line 3: prices.m.input must be a non-negative decimal number of USD per "
            + "million tokens such as 0.2, got \"-0.1\"");
    assertThatThrownBy(() -> parse("prices:\n  m: {input: 1, output: cheap}\n"))
        .hasMessage("tokenwatch.yaml line 2: prices.m.output must be a non-negative decimal number of USD per "
            + "million tokens such as 0.2, got \"cheap\"");
    assertThatThrownBy(() -> parse("prices:\n  m:\n    cacheRead: 0.1\n"))
        .hasMessage("tokenwatch.yaml line 2: prices.m needs at least input or output (USD per million tokens)");
    assertThatThrownBy(() -> parse("prices:\n  m: {input: [1]}\n"))
        .hasMessage("tokenwatch.yaml line 2: prices.m.input must be a single value, got a list");
  }
}
