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

  private static final String BUILT_IN_FILE = "built-in prices.tsv";

  private static volatile PriceTable builtIn;

  private final String source;
  private final LocalDate date;
  /** Model ids in table order; {@link #model(int)} gives each one's prices. */
  private final List<String> ids;
  /** The models, by index; filled on first use when {@link #index} is set (the built-in table). */
  private final ModelPrice[] parsed;
  private final TableIndex index;
  private final Map<String, Integer> byId = new HashMap<>();
  private final Map<String, Integer> byAlias = new HashMap<>();
  /** Rule 4's index: a name's normalised form to the name and model; built when first needed. */
  private volatile Map<String, Map.Entry<String, Integer>> byNormalisedName;
  private volatile List<ModelPrice> all;

  private PriceTable(String source, LocalDate date, List<ModelPrice> models) {
    this.source = Objects.requireNonNull(source, "source");
    this.date = date;
    this.parsed = models.toArray(new ModelPrice[0]);
    this.index = null;
    List<String> names = new ArrayList<>(parsed.length);
    List<List<String>> aliases = new ArrayList<>(parsed.length);
    for (ModelPrice model : parsed) {
      names.add(model.model());
      aliases.add(model.aliases());
    }
    this.ids = List.copyOf(names);
    indexNames(aliases);
  }

  /** The built-in table: indexed by name now, each model parsed when first asked for. */
  private PriceTable(TableIndex index) {
    this.source = index.source == null ? index.file : index.source;
    this.date = index.date == null ? null : LocalDate.parse(index.date);
    this.index = index;
    this.ids = List.copyOf(index.ids);
    this.parsed = new ModelPrice[ids.size()];
    indexNames(index.aliases);
  }

  private void indexNames(List<List<String>> aliases) {
    for (int i = 0; i < ids.size(); i++) {
      if (byId.putIfAbsent(ids.get(i), i) != null) {
        throw new IllegalArgumentException("model " + ids.get(i) + " listed twice");
      }
    }
    for (int i = 0; i < ids.size(); i++) {
      for (String alias : aliases.get(i)) {
        if (!byId.containsKey(alias)) {
          byAlias.putIfAbsent(alias, i);
        }
      }
    }
  }

  private Map<String, Map.Entry<String, Integer>> byNormalisedName() {
    Map<String, Map.Entry<String, Integer>> normalised = byNormalisedName;
    if (normalised == null) {
      normalised = new HashMap<>();
      for (int i = 0; i < ids.size(); i++) { // model by model: its id, then its aliases
        indexNormalised(normalised, ids.get(i), i);
        for (String alias : index != null ? index.aliases.get(i) : parsed[i].aliases()) {
          indexNormalised(normalised, alias, i);
        }
      }
      byNormalisedName = normalised;
    }
    return normalised;
  }

  private void indexNormalised(Map<String, Map.Entry<String, Integer>> normalised, String name, int model) {
    String form = ModelNames.normalise(name);
    if (!form.equals(name) && !byId.containsKey(form) && !byAlias.containsKey(form)) {
      normalised.putIfAbsent(form, Map.entry(name, model));
    }
  }

  /** Model {@code i} in table order, parsed now if this is the built-in table and nobody asked for it yet. */
  private ModelPrice model(int i) {
    ModelPrice model = parsed[i];
    if (model == null) {
      model = index.model(i, description()); // immutable: a race parses it twice, to equal values
      parsed[i] = model;
    }
    return model;
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

  /** A table of a text known to be valid (the built-in one), each model parsed when first asked for. */
  static PriceTable indexed(String text, String file) {
    return new PriceTable(TableIndex.of(text, file));
  }

  /** The table built into tokenwatch (from {@value #BUILT_IN_RESOURCE}). */
  public static PriceTable builtIn() {
    PriceTable table = builtIn;
    if (table == null) {
      try (InputStream in = PriceTable.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("built-in price table " + BUILT_IN_RESOURCE + " is missing");
        }
        table = indexed(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUILT_IN_FILE);
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
    List<ModelPrice> models = all;
    if (models == null) {
      ModelPrice[] every = new ModelPrice[ids.size()];
      for (int i = 0; i < every.length; i++) {
        every[i] = model(i);
      }
      models = List.of(every);
      all = models;
    }
    return models;
  }

  /** The model with exactly this id, without any matching rule. */
  public Optional<ModelPrice> model(String id) {
    Integer i = byId.get(id);
    return i == null ? Optional.empty() : Optional.of(model(i));
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
      Map.Entry<String, Integer> entry = byNormalisedName().get(ModelNames.normalise(form));
      if (entry != null) {
        return Optional.of(new PriceMatch(name, PriceMatch.Rule.NORMALISED, entry.getKey(), model(entry.getValue())));
      }
    }
    return Optional.empty();
  }

  private PriceMatch exactOrAlias(String name, String candidate, PriceMatch.Rule rule) {
    Integer model = byId.get(candidate);
    if (model != null) {
      return new PriceMatch(name, rule == null ? PriceMatch.Rule.EXACT : rule, candidate, model(model));
    }
    model = byAlias.get(candidate);
    if (model != null) {
      return new PriceMatch(name, rule == null ? PriceMatch.Rule.ALIAS : rule, candidate, model(model));
    }
    return null;
  }

  /**
   * This table with {@code overrides} (from the configuration) in place of the models of the same id,
   * and the others added at the end. An override keeps the aliases of the model it replaces unless it
   * names its own, so every name that found the table's model finds the override.
   */
  public PriceTable withOverrides(Collection<ModelPrice> overrides) {
    if (overrides.isEmpty()) {
      return this; // immutable: the same table
    }
    Map<String, ModelPrice> merged = new LinkedHashMap<>();
    for (ModelPrice model : models()) {
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
    return PriceTableFormat.format(source, date, models());
  }
}
