package dev.tokenwatch.domain.cost;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A table's text indexed by model without parsing any price: each model's id, aliases and lines, and
 * the text of one model parsed when it is first asked for. Parsing all of the built-in table's 300
 * models (decimals, dates, periods) cost every CLI command about 20 ms of start-up (issue 19), while
 * a command prices a handful of models, often none. Used for the built-in table only, whose every
 * model the tests parse and compare with the eager parse; a table from a file is parsed whole, so
 * its errors are found when it is read.
 */
final class TableIndex {

  final String source;
  final String date;
  final List<String> ids = new ArrayList<>();
  final List<List<String>> aliases = new ArrayList<>();
  private final String text;
  final String file;
  /** Per model, the offsets of the first character of its first line and past its last line. */
  private int[] spans;

  private TableIndex(String text, String file, String source, String date) {
    this.text = text;
    this.file = file;
    this.source = source;
    this.date = date;
  }

  /**
   * Indexes {@code text} in the table format: a model's first line ({@code from} is {@code -}) starts
   * it, its dated lines follow; {@code # source:} and {@code # date:} are kept as text.
   */
  static TableIndex of(String text, String file) {
    String source = null;
    String date = null;
    List<String> ids = new ArrayList<>();
    List<LinkedHashSet<String>> aliases = new ArrayList<>();
    List<int[]> spans = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int end = text.indexOf('\n', at);
      int next = end < 0 ? text.length() : end + 1;
      String line = text.substring(at, end < 0 ? text.length() : end);
      if (line.startsWith("#")) {
        String comment = line.substring(1).strip();
        if (comment.startsWith("source:")) {
          source = comment.substring("source:".length()).strip();
        } else if (comment.startsWith("date:")) {
          date = comment.substring("date:".length()).strip();
        }
      } else if (!line.isBlank()) {
        int modelStart = line.indexOf('\t') + 1;
        int modelEnd = line.indexOf('\t', modelStart);
        int fromEnd = modelEnd < 0 ? -1 : line.indexOf('\t', modelEnd + 1);
        if (modelStart == 0 || fromEnd < 0) {
          throw new IllegalStateException(file + ": not a table line: " + line);
        }
        String from = line.substring(modelEnd + 1, fromEnd).strip();
        if (from.isEmpty() || from.equals("-")) {
          ids.add(line.substring(modelStart, modelEnd).strip());
          aliases.add(new LinkedHashSet<>());
          spans.add(new int[] {at, next});
        } else if (spans.isEmpty()) {
          throw new IllegalStateException(file + ": a dated line before any model: " + line);
        } else {
          spans.get(spans.size() - 1)[1] = next; // a dated line of the model above
        }
        addAliases(line.substring(line.lastIndexOf('\t') + 1).strip(), aliases.get(aliases.size() - 1));
      }
      at = next;
    }
    TableIndex index = new TableIndex(text, file, source, date);
    index.ids.addAll(ids);
    for (LinkedHashSet<String> names : aliases) {
      index.aliases.add(List.copyOf(names));
    }
    index.spans = new int[2 * spans.size()];
    for (int i = 0; i < spans.size(); i++) {
      index.spans[2 * i] = spans.get(i)[0];
      index.spans[2 * i + 1] = spans.get(i)[1];
    }
    return index;
  }

  private static void addAliases(String field, LinkedHashSet<String> names) {
    if (!field.isEmpty() && !field.equals("-")) {
      for (String alias : field.split(",")) {
        names.add(alias.strip());
      }
    }
  }

  /** Model {@code i} (in table order) with its prices, parsed from its lines. */
  ModelPrice model(int i, String description) {
    String lines = text.substring(spans[2 * i], spans[2 * i + 1]);
    return PriceTableFormat.parse(lines, file).models().get(0).withSource(description);
  }
}
