package dev.tokenwatch.app.cli;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.ledger.Dimension;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** What {@code report} shows: usage per day, week or month, or per session or project over the range. */
enum ReportView {
  DAILY(BudgetPeriod.DAILY, null),
  WEEKLY(BudgetPeriod.WEEKLY, null),
  MONTHLY(BudgetPeriod.MONTHLY, null),
  SESSION(null, Dimension.SESSION),
  PROJECT(null, Dimension.PROJECT);

  private final BudgetPeriod granularity;
  private final Dimension dimension;

  ReportView(BudgetPeriod granularity, Dimension dimension) {
    this.granularity = granularity;
    this.dimension = dimension;
  }

  /** The length of the report's periods, or {@code null} for a view per session or project. */
  BudgetPeriod granularity() {
    return granularity;
  }

  /** The dimension of a view per session or project, or {@code null} for a view per period. */
  Dimension dimension() {
    return dimension;
  }

  /** "daily", "session", as on the command line and in JSON. */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** "daily", "weekly", "monthly", "session" or "project", ignoring case. */
  static final class Converter implements ITypeConverter<ReportView> {
    @Override
    public ReportView convert(String text) {
      for (ReportView view : values()) {
        if (view.label().equalsIgnoreCase(text.trim())) {
          return view;
        }
      }
      throw new TypeConversionException("must be one of " + String.join(", ",
          Arrays.stream(values()).map(ReportView::label).toList()) + ", got \"" + text + "\"");
    }
  }
}
