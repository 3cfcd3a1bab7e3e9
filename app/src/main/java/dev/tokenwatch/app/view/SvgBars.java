package dev.tokenwatch.app.view;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * One stacked bar chart as inline SVG for {@code report --html}: a column per period, a segment per
 * group (model, project, ...) stacked in a fixed order with a colour per group, a dashed line per
 * period where the budget gives one, and a y axis of round numbers. Pure drawing: the caller supplies
 * the figures and their texts; every text is escaped here.
 */
final class SvgBars {

  private static final int WIDTH = 960;
  private static final int HEIGHT = 320;
  private static final int LEFT = 84;
  private static final int RIGHT = 16;
  private static final int TOP = 16;
  private static final int BOTTOM = 44;
  private static final int MAX_X_LABELS = 12;

  /**
   * One group's part of a column.
   *
   * @param key the group's name as shown
   * @param value its height in the chart's unit (tokens, nano-dollars)
   * @param exact its exact value as the JSON report writes it, for {@code data-value}
   * @param text what the tooltip says
   */
  record Segment(String key, long value, String exact, String text) {}

  /**
   * One period.
   *
   * @param period its first day (ISO), for {@code data-period}
   * @param label the x-axis label
   * @param segments bottom first
   * @param line the budget's line for the period in the chart's unit, or {@code null} for none
   * @param lineExact the line's exact value as the JSON report writes a limit, for {@code data-value}
   * @param lineText what the line's tooltip says
   */
  record Column(String period, String label, List<Segment> segments, Long line, String lineExact,
      String lineText) {
    Column {
      segments = List.copyOf(segments);
    }

    long total() {
      return segments.stream().mapToLong(Segment::value).sum();
    }
  }

  private SvgBars() {}

  /**
   * The chart of {@code columns} with {@code colours} per key, y-axis labels by {@code axis}; {@code
   * measure} names it ({@code cost}, {@code tokens}) in its {@code data-measure}.
   */
  static String svg(String measure, String title, List<Column> columns, Map<String, String> colours,
      LongFunction<String> axis) {
    double max = 0;
    for (Column column : columns) {
      max = Math.max(max, column.total());
      if (column.line() != null) {
        max = Math.max(max, column.line());
      }
    }
    double step = niceStep(max / 4);
    double top = max <= 0 ? 1 : Math.ceil(max / step) * step;
    double plotWidth = WIDTH - LEFT - RIGHT;
    double plotHeight = HEIGHT - TOP - BOTTOM;
    double slot = plotWidth / Math.max(1, columns.size());
    double barWidth = Math.max(1, slot * 0.72);

    StringBuilder s = new StringBuilder();
    s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bars\" data-measure=\"").append(Html.escape(measure))
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">\n");
    s.append("<title>").append(Html.escape(title)).append("</title>\n");
    // grid lines with their labels, from the axis up
    for (int i = 0; step > 0 && i * step <= top + step / 2; i++) {
      double y = TOP + plotHeight - i * step / top * plotHeight;
      s.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(n(y)).append("\" y2=\"").append(n(y)).append("\"/>");
      s.append("<text class=\"axis\" x=\"").append(LEFT - 6).append("\" y=\"").append(n(y + 4))
          .append("\" text-anchor=\"end\">").append(Html.escape(axis.apply(Math.round(i * step)))).append("</text>\n");
    }
    int labelEvery = (int) Math.ceil(columns.size() / (double) MAX_X_LABELS);
    for (int c = 0; c < columns.size(); c++) {
      Column column = columns.get(c);
      double x = LEFT + c * slot + (slot - barWidth) / 2;
      double base = TOP + plotHeight;
      s.append("<g class=\"column\" data-period=\"").append(Html.escape(column.period())).append("\">\n");
      for (Segment segment : column.segments()) {
        double height = segment.value() / top * plotHeight;
        base -= height;
        s.append("<rect class=\"bar\" data-period=\"").append(Html.escape(column.period()))
            .append("\" data-key=\"").append(Html.escape(segment.key()))
            .append("\" data-value=\"").append(Html.escape(segment.exact()))
            .append("\" x=\"").append(n(x)).append("\" y=\"").append(n(base))
            .append("\" width=\"").append(n(barWidth)).append("\" height=\"").append(n(height))
            .append("\" fill=\"").append(Html.escape(colours.get(segment.key()))).append("\"><title>")
            .append(Html.escape(column.label() + " · " + segment.key() + ": " + segment.text()))
            .append("</title></rect>\n");
      }
      if (column.line() != null) {
        double y = TOP + plotHeight - column.line() / top * plotHeight;
        s.append("<line class=\"limit\" data-period=\"").append(Html.escape(column.period()))
            .append("\" data-value=\"").append(Html.escape(column.lineExact())).append("\" x1=\"").append(n(LEFT + c * slot))
            .append("\" x2=\"").append(n(LEFT + (c + 1) * slot)).append("\" y1=\"").append(n(y))
            .append("\" y2=\"").append(n(y)).append("\"><title>").append(Html.escape(column.label() + " · "
                + column.lineText())).append("</title></line>\n");
      }
      if (c % labelEvery == 0) {
        s.append("<text class=\"axis\" x=\"").append(n(LEFT + (c + 0.5) * slot)).append("\" y=\"")
            .append(HEIGHT - BOTTOM + 16).append("\" text-anchor=\"middle\">").append(Html.escape(column.label()))
            .append("</text>\n");
      }
      s.append("</g>\n");
    }
    s.append("<line class=\"baseline\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
        .append("\" y1=\"").append(TOP + plotHeight).append("\" y2=\"").append(TOP + plotHeight).append("\"/>\n");
    return s.append("</svg>\n").toString();
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}: grid lines at round numbers. */
  static double niceStep(double raw) {
    if (!(raw > 0)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double factor : new double[] {1, 2, 5, 10}) {
      if (factor * power >= raw) {
        return Math.max(1, factor * power);
      }
    }
    return 10 * power;
  }

  private static String n(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
