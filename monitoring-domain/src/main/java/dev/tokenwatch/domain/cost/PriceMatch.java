package dev.tokenwatch.domain.cost;

import java.util.Objects;

/**
 * The model of a price table that a model name was matched to, and how.
 *
 * @param name the name looked up, as an event or a log writes it
 * @param rule the rule that matched
 * @param matchedName the name the rule found in the table (the id, an alias, or the normalised
 *     name)
 * @param price the model's prices
 */
public record PriceMatch(String name, Rule rule, String matchedName, ModelPrice price) {

  /** The matching rules, tried in this order; the first that finds a model wins. */
  public enum Rule {
    /** The name is a model id of the table. */
    EXACT("exact id"),
    /** The name is another name of a model (the source's {@code equals} rules). */
    ALIAS("alias"),
    /** The name without a provider prefix such as {@code anthropic/} or {@code us.anthropic.}. */
    PROVIDER_PREFIX("without provider prefix"),
    /** The name without a date suffix, {@code -latest} or a version suffix such as {@code -v1:0}. */
    NORMALISED("normalised");

    private final String description;

    Rule(String description) {
      this.description = description;
    }

    /** A few words for people. */
    public String description() {
      return description;
    }
  }

  public PriceMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(matchedName, "matchedName");
    Objects.requireNonNull(price, "price");
  }
}
