package dev.tokenwatch.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Suggests the known word closest to a misspelt one, by edit distance: for configuration keys, and
 * the CLI's commands and options.
 */
public final class DidYouMean {

  private DidYouMean() {}

  /**
   * The candidate closest to {@code word} (ignoring case and '_'/'-'), if it is close enough to be a
   * plausible typo: at most 2 edits, or a third of the word's length for long words.
   */
  public static Optional<String> closest(String word, List<String> candidates) {
    String normalised = normalise(word);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(normalised, normalise(candidate));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = Math.max(2, normalised.length() / 3);
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  private static String normalise(String word) {
    return word.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
