package dev.tokenwatch.config;

import dev.tokenwatch.config.ConfigNodes.Origin;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenUsageEvent;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration's budgets: {@code budgets:} (a list, names unique) or the one-budget form
 * {@code budget:} (a list of one), never both; each with a limit in tokens or US dollars and an
 * optional {@code scope}. The section reads the YAML forms (amounts, currencies, percentages);
 * {@link TokenBudget}'s builder holds the rules, and its messages get file, line and key here.
 */
final class BudgetsSection {

  static final List<String> BUDGET_KEYS =
      List.of("name", "limit", "limitUsd", "period", "alertThresholds", "zone", "historySize", "scope",
          "forecastThresholds", "forecastMinimum", "mode");
  static final List<String> SCOPE_KEYS = List.of("models", "project", "session", "tags");

  /** "250 USD", "1_000.50 usd", "250 EUR" (refused by name): an amount and a three-letter currency. */
  private static final Pattern MONEY = Pattern.compile("([0-9][0-9_]*(?:\\.[0-9]+)?)\\s*([A-Za-z]{3})");
  /** A decimal as written; a sign is read so that the builder's rule (positive) names the value. */
  private static final Pattern DECIMAL = Pattern.compile("-?[0-9][0-9_]*(?:\\.[0-9]+)?");

  private final ConfigNodes nodes;

  BudgetsSection(ConfigNodes nodes) {
    this.nodes = nodes;
  }

  /** The budgets of the configuration's root mapping; the default budget when it has none. */
  List<TokenBudget> budgets(YamlNode.Mapping root) {
    YamlNode.Entry single = root.entries().get("budget");
    YamlNode.Entry list = root.entries().get("budgets");
    if (single != null && list != null) {
      YamlNode.Entry later = single.keyLine() > list.keyLine() ? single : list;
      throw nodes.at(later.keyLine(), "budgets (line " + list.keyLine() + ") and budget (line " + single.keyLine()
          + ") are both given; budget: is the one-budget form of budgets:, so write that budget as an element of "
          + "budgets: (or keep budget: alone)");
    }
    if (list != null) {
      return list(list);
    }
    if (single != null) {
      return List.of(budget(nodes.optionalMapping(single, "budget", BUDGET_KEYS), "budget", single.keyLine(), false));
    }
    return List.of(AppConfig.defaultBudget());
  }

  private List<TokenBudget> list(YamlNode.Entry entry) {
    String example = " such as [{name: org, limit: 2000 USD, period: monthly}]";
    if (!(entry.value() instanceof YamlNode.Sequence items)) {
      throw nodes.error(entry.value().line() > 0 ? entry.value() : new YamlNode.Scalar(entry.keyLine(), null),
          "budgets must be a list" + example + ", got " + entry.value().kind());
    }
    if (items.items().isEmpty()) {
      throw nodes.at(entry.keyLine(), "budgets must list at least one budget" + example + ", got an empty list");
    }
    List<TokenBudget> budgets = new ArrayList<>();
    Map<String, int[]> seen = new HashMap<>(); // name -> {index, line}
    for (int i = 0; i < items.items().size(); i++) {
      String key = "budgets[" + i + "]";
      YamlNode.Mapping item = nodes.mapping(items.items().get(i), key, BUDGET_KEYS);
      TokenBudget budget = budget(item, key, item.line(), true);
      int nameLine = item.entries().get("name").keyLine();
      int[] earlier = seen.putIfAbsent(budget.name(), new int[] {i, nameLine});
      if (earlier != null) {
        throw nodes.at(nameLine, key + ".name " + ConfigNodes.quote(budget.name()) + " is also the name of budgets["
            + earlier[0] + "] (line " + earlier[1] + "); budget names must be unique");
      }
      budgets.add(budget);
    }
    return budgets;
  }

  /** One budget; {@code listed}: an element of {@code budgets:}, which must have a name and a limit. */
  private TokenBudget budget(YamlNode.Mapping budget, String key, int line, boolean listed) {
    nodes.checkKeys(budget, key + ".", BUDGET_KEYS);
    // a fresh builder: its defaults that depend on the limit (the forecast minimum) follow the limit set here
    TokenBudget.Builder builder = TokenBudget.builder().limit(AppConfig.DEFAULT_LIMIT);
    Map<String, YamlNode.Entry> e = budget.entries();
    Map<String, Origin> fields = new LinkedHashMap<>(); // the builder's field -> where it was read
    if (e.containsKey("name")) {
      YamlNode.Scalar node = nodes.scalar(e.get("name"), key + ".name");
      builder.name(nodes.expand(node, key + ".name"));
      fields.put("name", new Origin(key + ".name", node));
    } else if (listed) {
      throw nodes.at(line, key + ".name is missing: each budget of budgets: needs a name (letters, digits, . _ -)");
    }
    limit(builder, fields, e, key, line, listed);
    if (e.containsKey("period")) {
      YamlNode.Scalar node = nodes.scalar(e.get("period"), key + ".period");
      try {
        builder.period(BudgetPeriod.parse(nodes.expand(node, key + ".period")));
      } catch (IllegalArgumentException ex) {
        throw nodes.rejected(ex, "period", key + ".period", node);
      }
    }
    ThresholdsSection thresholds = new ThresholdsSection(nodes);
    if (e.containsKey("alertThresholds")) {
      builder.alertThresholds(thresholds.read(e.get("alertThresholds"), key, "alertThresholds", fields));
    }
    if (e.containsKey("zone")) {
      YamlNode.Scalar node = nodes.scalar(e.get("zone"), key + ".zone");
      String text = nodes.expand(node, key + ".zone");
      try {
        builder.zone(ZoneId.of(text));
      } catch (DateTimeException ex) {
        throw nodes.error(node, key + ".zone must be a time zone id such as UTC or Europe/Berlin, got "
            + ConfigNodes.quote(text));
      }
    }
    if (e.containsKey("historySize")) {
      YamlNode.Scalar node = nodes.scalar(e.get("historySize"), key + ".historySize");
      String text = nodes.expand(node, key + ".historySize");
      long size = nodes.wholeNumber(text);
      if (size < 0) {
        throw nodes.error(node, key + ".historySize must be a whole number such as 500, got " + ConfigNodes.quote(text));
      }
      builder.historySize((int) Math.min(size, Integer.MAX_VALUE));
      fields.put("historySize", new Origin(key + ".historySize", node));
    }
    if (e.containsKey("scope")) {
      builder.scope(scope(e.get("scope"), key + ".scope"));
    }
    if (e.containsKey("forecastThresholds")) {
      builder.forecastThresholds(thresholds.read(e.get("forecastThresholds"), key, "forecastThresholds", fields));
    }
    if (e.containsKey("mode")) {
      builder.mode(new HardLimitsSection(nodes).mode(e.get("mode"), key + ".mode"));
    }
    TokenBudget built;
    try {
      built = builder.build();
    } catch (IllegalArgumentException ex) {
      throw nodes.rejected(ex, fields, key + ".", budget.line() > 0 ? budget : new YamlNode.Scalar(line, null));
    }
    return e.containsKey("forecastMinimum") ? forecastMinimum(built, e.get("forecastMinimum"), key) : built;
  }

  /** {@code forecastMinimum}: tokens for a token budget, {@code 5 USD} for a dollar budget. */
  private TokenBudget forecastMinimum(TokenBudget budget, YamlNode.Entry entry, String key) {
    YamlNode.Scalar node = nodes.scalar(entry, key + ".forecastMinimum");
    String text = nodes.expand(node, key + ".forecastMinimum").trim();
    Matcher money = MONEY.matcher(text);
    long amount;
    if (budget.unit() == BudgetUnit.USD && money.matches() && money.group(2).equalsIgnoreCase("USD")) {
      amount = new BigDecimal(money.group(1).replace("_", "")).movePointRight(9).setScale(0, RoundingMode.CEILING)
          .longValueExact();
    } else if (budget.unit() == BudgetUnit.TOKENS && nodes.wholeNumber(text) >= 0) {
      amount = nodes.wholeNumber(text);
    } else {
      throw nodes.error(node, key + ".forecastMinimum must be in the budget's unit, "
          + (budget.unit() == BudgetUnit.USD ? "US dollars such as 5 USD" : "a whole number of tokens such as 50000")
          + ", got " + ConfigNodes.quote(text));
    }
    return budget.toBuilder().forecastMinimum(amount).build();
  }

  /** {@code limit: 1000000} (tokens), {@code limit: 250 USD} or {@code limitUsd: 250}. */
  private void limit(TokenBudget.Builder builder, Map<String, Origin> fields, Map<String, YamlNode.Entry> e,
      String key, int line, boolean listed) {
    YamlNode.Entry limit = e.get(BudgetLimit.TOKENS_KEY);
    YamlNode.Entry usd = e.get(BudgetLimit.USD_KEY);
    try {
      BudgetLimit.check(limit != null, usd != null, listed, field -> key + "." + field
          + (e.containsKey(field) ? " (line " + e.get(field).keyLine() + ")" : ""));
    } catch (IllegalArgumentException ex) {
      throw nodes.at(limit != null && usd != null ? Math.max(limit.keyLine(), usd.keyLine()) : line, ex.getMessage());
    }
    if (limit == null && usd == null) {
      return;
    }
    String limitKey = key + (usd != null ? ".limitUsd" : ".limit");
    YamlNode.Scalar node = nodes.scalar(usd != null ? usd : limit, limitKey);
    fields.put("limit", new Origin(limitKey, node));
    String text = nodes.expand(node, limitKey).trim();
    if (usd != null) {
      dollars(builder, node, limitKey, text, text);
      return;
    }
    long tokens = nodes.wholeNumber(text);
    if (tokens >= 0) {
      builder.limit(tokens);
      return;
    }
    Matcher money = MONEY.matcher(text);
    if (money.matches()) {
      if (!money.group(2).equalsIgnoreCase("USD")) {
        throw nodes.error(node, limitKey + " must be in US dollars (USD), the only currency prices are kept in, got "
            + ConfigNodes.quote(text) + "; write an amount such as 250 USD, or tokens as a whole number");
      }
      dollars(builder, node, limitKey, text, money.group(1));
      return;
    }
    throw nodes.error(node, limitKey + " must be a positive whole number of tokens such as 1000000, or US dollars "
        + "such as 250 USD, got " + ConfigNodes.quote(text));
  }

  /** {@code amount} (the number of {@code text}) as the builder's limit in US dollars. */
  private void dollars(TokenBudget.Builder builder, YamlNode.Scalar node, String key, String text, String amount) {
    if (!DECIMAL.matcher(amount).matches()) {
      throw nodes.error(node, key + " must be an amount of US dollars such as 250 or 12.50, got "
          + ConfigNodes.quote(text));
    }
    try {
      builder.limitUsd(new BigDecimal(amount.replace("_", "")));
    } catch (IllegalArgumentException ex) {
      throw nodes.rejected(ex, "limit", key, node);
    }
  }

  /** {@code scope: {models: [GLOB...], project: P, session: S, tags: {KEY: VALUE}}}; empty for every event. */
  private UsageFilter scope(YamlNode.Entry entry, String key) {
    YamlNode.Mapping scope = nodes.optionalMapping(entry, key, SCOPE_KEYS);
    nodes.checkKeys(scope, key + ".", SCOPE_KEYS);
    Map<String, YamlNode.Entry> e = scope.entries();
    UsageFilter filter = UsageFilter.ANY;
    if (e.containsKey("models")) {
      filter = filter.withModels(models(e.get("models"), key + ".models"));
    }
    if (e.containsKey("project")) {
      filter = filter.withProject(dimension(e.get("project"), key + ".project", true));
    }
    if (e.containsKey("session")) {
      filter = filter.withSession(dimension(e.get("session"), key + ".session", false));
    }
    if (e.containsKey("tags")) {
      String tagsKey = key + ".tags";
      YamlNode.Mapping tags = nodes.mapping(e.get("tags").value(), tagsKey, List.of("team", "env"));
      for (YamlNode.Entry tag : tags.entries().values()) {
        YamlNode.Scalar node = nodes.scalar(tag, tagsKey + "." + tag.key());
        String value = nodes.expand(node, tagsKey + "." + tag.key());
        try {
          filter = filter.withTag(tag.key(), value);
        } catch (IllegalArgumentException ex) {
          throw nodes.at(tag.keyLine(), tagsKey + "." + tag.key() + ": " + ex.getMessage());
        }
      }
    }
    return filter;
  }

  /** A model name or glob, or a list of them. */
  private List<String> models(YamlNode.Entry entry, String key) {
    List<YamlNode> items = entry.value() instanceof YamlNode.Sequence list ? list.items() : List.of(entry.value());
    if (items.isEmpty()) {
      throw nodes.at(entry.keyLine(), key + " must list at least one model name or pattern such as \"claude-opus-*\" "
          + "(leave the key out for every model), got an empty list");
    }
    List<String> globs = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String itemKey = entry.value() instanceof YamlNode.Sequence ? key + "[" + i + "]" : key;
      if (!(items.get(i) instanceof YamlNode.Scalar scalar) || scalar.text() == null || scalar.text().isBlank()) {
        throw nodes.error(items.get(i).line() > 0 ? items.get(i) : new YamlNode.Scalar(entry.keyLine(), null),
            itemKey + " must be a model name or a pattern with * and ? such as \"claude-opus-*\", got "
            + nodes.describe(items.get(i), itemKey));
      }
      globs.add(nodes.expand(scalar, itemKey));
    }
    return globs;
  }

  /** A project or session, checked as an event checks it. */
  private String dimension(YamlNode.Entry entry, String key, boolean project) {
    YamlNode.Scalar node = nodes.scalar(entry, key);
    String value = nodes.expand(node, key);
    TokenUsageEvent.Builder probe = TokenUsageEvent.builder("scope").timestamp(Instant.EPOCH);
    try {
      // the event's own rule, so a scope accepts exactly the values events can carry
      (project ? probe.project(value) : probe.session(value)).build();
    } catch (IllegalArgumentException ex) {
      throw nodes.error(node, key + " " + ex.getMessage().replaceFirst("^(project|session) ", ""));
    }
    return value;
  }
}
