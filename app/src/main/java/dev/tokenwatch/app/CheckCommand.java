package dev.tokenwatch.app;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.Usage;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code tokenwatch check}: an exit code for shell scripts and CI jobs. */
@Command(name = "check", description = {
    "Exits 0 while usage is under a ratio of the limit, 1 at or over it.",
    "For scripts and CI jobs: tokenwatch check --at-most 0.9 && run-expensive-job"})
final class CheckCommand implements Callable<Integer> {

  private final CliContext context;

  @Option(names = "--at-most", paramLabel = "RATIO", converter = RatioConverter.class, defaultValue = "1.0",
      description = "Ratio of the limit, as 0.8 or 80% (default: ${DEFAULT-VALUE}).")
  double atMost;

  CheckCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    TokenTracker tracker = context.application().tracker();
    Usage usage = tracker.getUsage();
    boolean over = usage.used() >= tracker.getBudget().amountAt(atMost);
    context.out().println((over ? "over: " : "ok: ") + Format.percent(usage.percentage()) + " of budget '"
        + tracker.getBudget().name() + "' used (" + Format.tokens(usage.used()) + " of "
        + Format.tokens(usage.limit()) + " tokens), " + (over ? "at or over " : "under ") + Format.percent(atMost));
    return over ? ExitCodes.OVER : ExitCodes.OK;
  }

  /** "0.8" or "80%" to 0.8; must be above 0. */
  static final class RatioConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String text) {
      String trimmed = text.trim();
      boolean percent = trimmed.endsWith("%");
      try {
        BigDecimal value = new BigDecimal(percent ? trimmed.substring(0, trimmed.length() - 1).trim() : trimmed);
        if (percent) {
          value = value.movePointLeft(2);
        }
        if (value.signum() <= 0) {
          throw new TypeConversionException("must be above 0, as a ratio such as 0.8 or a percentage such as 80%, got \""
              + text + "\"");
        }
        return value.doubleValue();
      } catch (NumberFormatException e) {
        throw new TypeConversionException("must be a ratio such as 0.8 or a percentage such as 80%, got \""
            + text + "\"");
      }
    }
  }
}
