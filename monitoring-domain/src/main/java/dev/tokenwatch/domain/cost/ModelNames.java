package dev.tokenwatch.domain.cost;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name rewritings that match a model name as providers and logs write it to a price table's
 * ids: provider prefixes and normalisations. Each is documented in the README.
 */
final class ModelNames {

  /** A Bedrock cross-region inference prefix such as {@code us.} or {@code global.}. */
  private static final Pattern REGION_PREFIX = Pattern.compile("^(?:us|us-gov|eu|apac|au|ca|jp|global|regional)\\.");

  /** A Bedrock geographic prefix, priced as the source's {@code regional.} ids. */
  private static final Pattern GEO_PREFIX = Pattern.compile("^(?:us|us-gov|eu|apac|au|ca|jp)\\.");

  /** A Bedrock vendor prefix such as {@code anthropic.}. */
  private static final Pattern VENDOR_PREFIX = Pattern.compile(
      "^(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|google|qwen|writer|x-ai|xai)\\.");

  /**
   * Suffixes removed one after another until none is left: a version ({@code -v1:0}, {@code -v2}),
   * a revision ({@code :0}), {@code -latest} or {@code @latest}, and a date ({@code -20250805},
   * {@code @20250805}, {@code -2024-08-06}).
   */
  private static final Pattern SUFFIX = Pattern.compile(
      "(?:-v\\d+(?::\\d+)?|:\\d+|[-@]latest|[-@]\\d{8}|-\\d{4}-\\d{2}-\\d{2})$");

  private ModelNames() {
  }

  /**
   * The name without provider prefixes, most specific first: after the last {@code /}
   * ({@code openrouter/anthropic/claude-x} gives {@code claude-x}), then a Bedrock geographic prefix
   * ({@code us.}, {@code eu.}, ...) replaced by the source's {@code regional.}, then without a Bedrock
   * region and then without a Bedrock vendor ({@code anthropic.}). Empty if there is no prefix.
   */
  static List<String> withoutProviderPrefix(String name) {
    List<String> candidates = new ArrayList<>(3);
    String rest = name;
    int slash = rest.lastIndexOf('/');
    if (slash >= 0 && slash < rest.length() - 1) {
      rest = rest.substring(slash + 1);
      candidates.add(rest);
    }
    Matcher geo = GEO_PREFIX.matcher(rest);
    if (geo.find() && geo.end() < rest.length()) {
      candidates.add("regional." + rest.substring(geo.end()));
    }
    Matcher region = REGION_PREFIX.matcher(rest);
    if (region.find() && region.end() < rest.length()) {
      rest = rest.substring(region.end());
      candidates.add(rest);
    }
    Matcher vendor = VENDOR_PREFIX.matcher(rest);
    if (vendor.find() && vendor.end() < rest.length()) {
      candidates.add(rest.substring(vendor.end()));
    }
    return candidates;
  }

  /** The name without version, revision, {@code -latest} and date suffixes; itself if it has none. */
  static String normalise(String name) {
    String current = name;
    while (true) {
      Matcher suffix = SUFFIX.matcher(current);
      if (!suffix.find() || suffix.start() == 0) {
        return current;
      }
      current = current.substring(0, suffix.start());
    }
  }
}
