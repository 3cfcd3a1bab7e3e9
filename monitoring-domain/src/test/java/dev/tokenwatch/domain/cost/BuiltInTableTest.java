package dev.tokenwatch.domain.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in table is indexed by name and parses a model when first asked for ({@link
 * TableIndex}): every answer it gives is the one of the same text parsed whole, before and after
 * its models are all parsed.
 */
class BuiltInTableTest {

  private static String builtInText() throws IOException {
    try (InputStream in = PriceTable.class.getResourceAsStream(PriceTable.BUILT_IN_RESOURCE)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Names that reach every rule: ids, aliases, prefixed, suffixed, and their normalised forms. */
  private static List<String> names(PriceTable table) {
    List<String> names = new ArrayList<>(List.of("my-llama", "m", "", "us.", "a/b/", "claude-3-5-haiku-20241022"));
    for (ModelPrice model : table.models()) {
      List<String> bases = new ArrayList<>(model.aliases());
      bases.add(model.model());
      for (String base : bases) {
        names.addAll(List.of(base, "anthropic/" + base, "us." + base, "eu.anthropic." + base, base + "-20250101",
            base + "@latest", base + "-v1:0", base + "-2024-08-06", PriceTable.normalisedName(base)));
      }
    }
    return names;
  }

  @Test
  void answersAsTheTableParsedWhole() throws IOException {
    String text = builtInText();
    PriceTable whole = PriceTable.parse(text, "built-in prices.tsv");
    PriceTable indexed = PriceTable.indexed(text, "built-in prices.tsv");
    List<String> names = names(whole);
    assertThat(names).hasSizeGreaterThan(3000);
    for (String name : names) { // before any model of the indexed table was parsed by models()
      assertThat(indexed.lookup(name)).as(name).isEqualTo(whole.lookup(name));
    }
    for (ModelPrice model : whole.models()) {
      assertThat(indexed.model(model.model())).contains(model);
    }
    assertThat(indexed.model("no-such-model")).isEmpty();
    assertThat(indexed.models()).isEqualTo(whole.models());
    assertThat(indexed.source()).isEqualTo(whole.source());
    assertThat(indexed.date()).isEqualTo(whole.date()).isPresent();
    assertThat(indexed.description()).isEqualTo(whole.description());
    assertThat(indexed.format()).isEqualTo(whole.format());
    assertThat(PriceTable.builtIn().models()).isEqualTo(whole.models());
  }

  @Test
  void aModelIsParsedOnceAndKept() throws IOException {
    PriceTable indexed = PriceTable.indexed(builtInText(), "built-in prices.tsv");
    ModelPrice sonnet = indexed.lookup("claude-sonnet-4-5-20250929").orElseThrow().price();
    assertThat(sonnet.model()).isEqualTo("claude-sonnet-4-5");
    // the same object on every lookup: parsed once, kept
    assertThat(indexed.lookup("claude-sonnet-4-5").orElseThrow().price()).isSameAs(sonnet);
    assertThat(indexed.models()).contains(sonnet);
  }

  @Test
  void overridesOfNothingAreTheTableItself() throws IOException {
    PriceTable indexed = PriceTable.indexed(builtInText(), "built-in prices.tsv");
    assertThat(indexed.withOverrides(List.of())).isSameAs(indexed);
    ModelPrice mine = ModelPrice.of("claude-sonnet-4-5", new Prices(Rate.of("1"), Rate.of("2"), null, null, null), "mine");
    PriceTable overridden = indexed.withOverrides(List.of(mine));
    assertThat(overridden.lookup("claude-sonnet-4-5-20250929").orElseThrow().price().source()).isEqualTo("mine");
    assertThat(overridden.models()).hasSameSizeAs(indexed.models());
  }
}
