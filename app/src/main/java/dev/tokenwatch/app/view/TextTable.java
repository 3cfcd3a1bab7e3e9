package dev.tokenwatch.app.view;

import java.util.ArrayList;
import java.util.List;

/**
 * A text table that fits a width: all columns with exact numbers when they fit (or {@code --wide});
 * else compact numbers ({@code 48.0M}), then the columns with the highest drop rank left out one at
 * a time (a column with nothing in it first), then the one shrinkable text column cut with an
 * ellipsis. Widths are terminal columns ({@link DisplayWidth}: CJK takes two). Text columns are
 * left-aligned, numbers right-aligned, two spaces apart; trailing blanks are stripped.
 */
final class TextTable {

  /** Never left out. */
  static final int KEEP = 0;
  /** The narrowest a shrinkable column is cut to. */
  static final int MIN_SHRUNK = 12;

  /**
   * One column.
   *
   * @param heading its heading
   * @param right whether it is right-aligned (numbers)
   * @param drop {@link #KEEP}, or the order it is left out in when the table is too wide: the highest first
   */
  record Column(String heading, boolean right, int drop) {}

  /** A cell: its text in a wide table, and in a narrow one (compact numbers). */
  record Cell(String wide, String narrow) {
    static Cell of(String text) {
      return new Cell(text, text);
    }
  }

  private record Row(Cell[] cells, boolean gapBefore) {}

  private final List<Column> columns;
  private final int shrinkable;
  private final List<Row> rows = new ArrayList<>();

  /** @param shrinkable the index of the text column cut when nothing else helps, or -1 */
  TextTable(List<Column> columns, int shrinkable) {
    this.columns = List.copyOf(columns);
    this.shrinkable = shrinkable;
  }

  /** Adds a row of {@code cells}, one per column; {@code gapBefore}: an empty line above it. */
  TextTable row(boolean gapBefore, Cell... cells) {
    if (cells.length != columns.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
    }
    rows.add(new Row(cells.clone(), gapBefore));
    return this;
  }

  TextTable row(Cell... cells) {
    return row(false, cells);
  }

  /** The table within {@code width} characters a line where it can be; all of it exactly with {@code wide}. */
  String render(int width, boolean wide) {
    boolean[] shown = new boolean[columns.size()];
    java.util.Arrays.fill(shown, true);
    int[] widths = widths(shown, false);
    if (wide || lineWidth(shown, widths) <= width) {
      return lines(shown, widths, false, Integer.MAX_VALUE);
    }
    widths = widths(shown, true);
    for (int i = 0; i < shown.length; i++) {
      int column = i;
      if (columns.get(i).drop() != KEEP && rows.stream().allMatch(r -> r.cells()[column].narrow().isEmpty())) {
        shown[i] = false; // a heading over nothing: the first to go
      }
    }
    while (lineWidth(shown, widths) > width) {
      int next = nextToDrop(shown);
      if (next < 0) {
        break;
      }
      shown[next] = false;
    }
    int cut = Integer.MAX_VALUE;
    int over = lineWidth(shown, widths) - width;
    if (over > 0 && shrinkable >= 0) {
      cut = Math.max(MIN_SHRUNK, widths[shrinkable] - over);
      widths[shrinkable] = Math.min(widths[shrinkable], cut);
    }
    return lines(shown, widths, true, cut);
  }

  private int nextToDrop(boolean[] shown) {
    int next = -1;
    for (int i = 0; i < columns.size(); i++) {
      if (shown[i] && columns.get(i).drop() != KEEP && (next < 0 || columns.get(i).drop() > columns.get(next).drop())) {
        next = i;
      }
    }
    return next;
  }

  private int[] widths(boolean[] shown, boolean narrow) {
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = DisplayWidth.of(columns.get(i).heading());
      for (Row row : rows) {
        widths[i] = Math.max(widths[i], DisplayWidth.of(text(row.cells()[i], narrow)));
      }
    }
    return widths;
  }

  private static int lineWidth(boolean[] shown, int[] widths) {
    int width = 0;
    int count = 0;
    for (int i = 0; i < widths.length; i++) {
      if (shown[i]) {
        width += widths[i];
        count++;
      }
    }
    return width + 2 * Math.max(0, count - 1);
  }

  private String lines(boolean[] shown, int[] widths, boolean narrow, int cut) {
    StringBuilder s = new StringBuilder();
    Cell[] headings = columns.stream().map(c -> Cell.of(c.heading())).toArray(Cell[]::new);
    line(s, headings, shown, widths, narrow, cut);
    for (Row row : rows) {
      if (row.gapBefore()) {
        s.append('\n');
      }
      line(s, row.cells(), shown, widths, narrow, cut);
    }
    return s.toString();
  }

  private void line(StringBuilder s, Cell[] cells, boolean[] shown, int[] widths, boolean narrow, int cut) {
    int start = s.length();
    boolean first = true;
    for (int i = 0; i < cells.length; i++) {
      if (!shown[i]) {
        continue;
      }
      if (!first) {
        s.append("  ");
      }
      first = false;
      String text = text(cells[i], narrow);
      if (i == shrinkable) {
        text = DisplayWidth.shorten(text, cut);
      }
      String pad = " ".repeat(Math.max(0, widths[i] - DisplayWidth.of(text)));
      s.append(columns.get(i).right() ? pad + text : text + pad);
    }
    int end = s.length();
    while (end > start && s.charAt(end - 1) == ' ') {
      end--;
    }
    s.setLength(end);
    s.append('\n');
  }

  private static String text(Cell cell, boolean narrow) {
    return narrow ? cell.narrow() : cell.wide();
  }
}
