package dev.tokenwatch.domain.cost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Prices per model, and the rules that find a model's prices by the name an event or a log gives
 * it. Immutable.
 *
 * <p>{@link #lookup(String)} tries, in order, and the first that finds a model wins:
 *
 * <ol>
 *   <li>{@linkplain PriceMatch.Rule#EXACT the name as a model id};
 *   <li>{@linkplain PriceMatch.Rule#ALIAS the name as an alias} (the source's {@code equals} rules);
 *   <li>{@linkplain PriceMatch.Rule#PROVIDER_PREFIX the name without a provider prefix} as id or
 *       alias: after the last {@code /}; a Bedrock geographic prefix ({@code us.}, {@code eu.},
 *       {@code apac.}, ...) replaced by the source's {@code regional.}; then without a Bedrock region
 *       ({@code us.}, ..., {@code global.}); then without a Bedrock vendor ({@code anthropic.}, ...);
 *   <li>{@linkplain PriceMatch.Rule#NORMALISED the normalised name} (each of the above without
 *       suffixes {@code -v1:0}, {@code :0}, {@code -latest}, {@code @latest}, {@code -20250805},
 *       {@code @20250805}, {@code -2024-08-06}) as id or alias, else as the normalised form of an id
 *       or alias ({@code claude-3-5-haiku-20241022} finds {@code claude-3-5-haiku-latest}).
 * </ol>
 *
 * A name none of them finds is unpriced: {@link #lookup(String)} is empty, never a zero price.
 * Matching is case-sensitive, as providers write model names.
 */
public final class PriceTable {

  /** The resource of the built-in table. */
  public static final String BUILT_IN_RESOURCE = "/dev/tokenwatch/domain/cost/prices.tsv";

  private static volatile PriceTable builtIn;

  private final String source;
  private final LocalDate date;
  private final List<ModelPrice> models;
  private final Map<String, ModelPrice> byId = new HashMap<>();
  private final Map<String, ModelPrice> byAlias = new HashMap<>();
  private final Map<String, Map.Entry<String, ModelPrice>> byNormalisedName = new HashMap<>();

  private PriceTable(String source, LocalDate date, List<ModelPrice> models) {
    this.source = Objects.requireNonNull(source, "source");
    this.date = date;
    this.models = List.copyOf(models);
    for (ModelPrice model : this.models) {
      if (byId.putIfAbsent(model.model(), model) != null) {
        throw new IllegalArgumentException("model " + model.model() + " listed twice");
      }
    }
    for (ModelPrice model : this.models) {
      for (String alias : model.aliases()) {
        if (!byId.containsKey(alias)) {
          byAlias.putIfAbsent(alias, model);
        }
      }
    }
    for (ModelPrice model : this.models) {
      indexNormalised(model.model(), model);
      for (String alias : model.aliases()) {
        indexNormalised(alias, model);
      }
    }
  }

  private void indexNormalised(String name, ModelPrice model) {
    String normalised = ModelNames.normalise(name);
    if (!normalised.equals(name) && !byId.containsKey(normalised) && !byAlias.containsKey(normalised)) {
      byNormalisedName.putIfAbsent(normalised, Map.entry(name, model));
    }
  }

  /**
   * A table of {@code models}.
   *
   * @param source what the prices were taken from, e.g. {@code @pydantic/genai-prices 0.1.8 (MIT)}
   * @param date the source's date; {@code null} if unknown
   * @throws IllegalArgumentException if a model id is listed twice
   */
  public static PriceTable of(String source, LocalDate date, List<ModelPrice> models) {
    return new PriceTable(source, date, models);
  }

  /**
   * The table of a text in the table format (see README "Prices and cost").
   *
   * @param file the file's name for errors and for the models' source if the text names none
   * @throws PriceTableException naming the line and field of an error
   */
  public static PriceTable parse(String text, String file) {
    PriceTableFormat.Parsed parsed = PriceTableFormat.parse(text, file);
    if (parsed.models().isEmpty()) {
      throw new PriceTableException(file, 0, null, "no prices in the table");
    }
    return new PriceTable(parsed.source(), parsed.date(), parsed.models());
  }

  /** The table built into tokenwatch (from {@value #BUILT_IN_RESOURCE}). */
  public static PriceTable builtIn() {
    PriceTable table = builtIn;
    if (table == null) {
      try (InputStream in = PriceTable.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("built-in price table " + BUILT_IN_RESOURCE + " is missing");
        }
        table = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in prices.tsv");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the built-in price table", e);
      }
      builtIn = table;
    }
    return table;
  }

  /**
   * The normalised form of a model name (rule 4 of {@link #lookup}): without version, revision,
   * {@code -latest} and date suffixes; the name itself if it has none.
   */
  public static String normalisedName(String name) {
    return ModelNames.normalise(name);
  }

  /** What the prices were taken from. */
  public String source() {
    return source;
  }

  /** The source's date, if known. */
  public Optional<LocalDate> date() {
    return Optional.ofNullable(date);
  }

  /** The source and its date in a few words, e.g. {@code @pydantic/genai-prices 0.1.8 (MIT) of 2026-09-23}. */
  public String description() {
    return PriceTableFormat.describe(source, date, source);
  }

  /** The models in table order (overrides that add a model come last). */
  public List<ModelPrice> models() {
    return models;
  }

  /** The model with exactly this id, without any matching rule. */
  public Optional<ModelPrice> model(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /**
   * The prices of a model as an event or a log names it, with the rule that matched; empty if the
   * model is unpriced.
   */
  public Optional<PriceMatch> lookup(String name) {
    Objects.requireNonNull(name, "name");
    PriceMatch match = exactOrAlias(name, name, null);
    if (match != null) {
      return Optional.of(match);
    }
    List<String> stripped = ModelNames.withoutProviderPrefix(name);
    for (String candidate : stripped) {
      match = exactOrAlias(name, candidate, PriceMatch.Rule.PROVIDER_PREFIX);
      if (match != null) {
        return Optional.of(match);
      }
    }
    List<String> forms = new ArrayList<>(stripped.size() + 1);
    forms.add(name);
    forms.addAll(stripped);
    for (String form : forms) {
      String normalised = ModelNames.normalise(form);
      if (normalised.equals(form)) {
        continue;
      }
      match = exactOrAlias(name, normalised, PriceMatch.Rule.NORMALISED);
      if (match != null) {
        return Optional.of(match);
      }
    }
    for (String form : forms) {
      Map.Entry<String, ModelPrice> entry = byNormalisedName.get(ModelNames.normalise(form));
      if (entry != null) {
        return Optional.of(new PriceMatch(name, PriceMatch.Rule.NORMALISED, entry.getKey(), entry.getValue()));
      }
    }
    return Optional.empty();
  }

  private PriceMatch exactOrAlias(String name, String candidate, PriceMatch.Rule rule) {
    ModelPrice model = byId.get(candidate);
    if (model != null) {
      return new PriceMatch(name, rule == null ? PriceMatch.Rule.EXACT : rule, candidate, model);
    }
    model = byAlias.get(candidate);
    if (model != null) {
      return new PriceMatch(name, rule == null ? PriceMatch.Rule.ALIAS : rule, candidate, model);
    }
    return null;
  }

  /**
   * This table with {@code overrides} (from the configuration) in place of the models of the same id,
   * and the others added at the end. An override keeps the aliases of the model it replaces unless it
   * names its own, so every name that found the table's model finds the override.
   */
  public PriceTable withOverrides(Collection<ModelPrice> overrides) {
    Map<String, ModelPrice> merged = new LinkedHashMap<>();
    for (ModelPrice model : models) {
      merged.put(model.model(), model);
    }
    for (ModelPrice override : overrides) {
      ModelPrice replaced = merged.get(override.model());
      ModelPrice effective = override;
      if (replaced != null && override.aliases().isEmpty()) {
        effective = new ModelPrice(override.model(), override.provider() != null ? override.provider()
            : replaced.provider(), replaced.aliases(), override.periods(), override.source());
      }
      merged.put(override.model(), effective);
    }
    return new PriceTable(source, date, new ArrayList<>(merged.values()));
  }

  /** The table in the table format; {@link #parse(String, String)} reads it back. */
  public String format() {
    return PriceTableFormat.format(source, date, models);
  }
}
