package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.app.view.Json;
import dev.tokenwatch.domain.BudgetExceededException;
import dev.tokenwatch.domain.Reservation;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tokenwatch reserve}: holds an estimate against the hard budgets before an LLM call. */
@Command(name = "reserve", description = {
    "Holds the estimate of an LLM call against the hard budgets; prints the reservation id.",
    "Run it before the call; settle with 'tokenwatch commit ID' (the actual usage) or",
    "'tokenwatch release ID'. Exits 1, naming the budget, when the estimate would pass a hard",
    "budget's limit (mode: hard) beside its committed usage and open reservations; nothing is",
    "reserved then."})
final class ReserveCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true, paramLabel = "MODEL", description = "Model the call goes to.")
  String model;

  @Option(names = "--estimate", paramLabel = "N", converter = WholeNumbers.Tokens.class,
      description = "Tokens the call is expected to use (for a budget in USD priced as output tokens, the dearest).")
  Long estimate;

  @Option(names = "--input", paramLabel = "N", converter = WholeNumbers.Tokens.class,
      description = "Instead of --estimate: the expected input tokens (with --output, priced exactly).")
  Long input;

  @Option(names = "--output", paramLabel = "N", converter = WholeNumbers.Tokens.class,
      description = "Instead of --estimate: the expected output tokens.")
  Long output;

  @Option(names = "--json", description = "Print {\"id\", \"expiresAt\", \"budgets\"} as one JSON object.")
  boolean json;

  @Mixin
  DimensionOptions dimensions;

  ReserveCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    TokenUsageEvent estimated = estimate();
    TokenTracker tracker = context.application().tracker();
    Reservation reservation;
    try {
      reservation = tracker.reserve(estimated);
    } catch (BudgetExceededException refused) {
      context.err().println("tokenwatch: refused: " + Redaction.redact(refused.getMessage()));
      return ExitCodes.OVER;
    } catch (IllegalArgumentException unpriced) {
      // a hard budget in USD and a model without a price: the estimate cannot be charged
      context.err().println("tokenwatch: " + Redaction.redact(unpriced.getMessage()));
      return ExitCodes.USAGE;
    }
    if (reservation.hardBudgets().isEmpty()) {
      boolean anyHard = tracker.budgets().stream().anyMatch(b -> b.getBudget().hard());
      context.err().println("tokenwatch: note: " + (anyHard ? "no hard budget's scope covers this call"
          : "no budget is mode: hard") + ", so the reservation holds nothing");
    }
    if (json) {
      context.out().println(Json.object(out -> {
        out.writeStringField("id", reservation.id());
        out.writeStringField("expiresAt", Json.time(reservation.expiresAt().atZone(ZoneOffset.UTC)));
        out.writeArrayFieldStart("budgets");
        for (String name : reservation.hardBudgets()) {
          out.writeString(name);
        }
        out.writeEndArray();
      }));
    } else {
      context.out().println(reservation.id());
    }
    return ExitCodes.OK;
  }

  /** The estimate as an event: {@code --estimate} as output tokens, or the {@code --input}/{@code --output} split. */
  private TokenUsageEvent estimate() {
    if (estimate == null && input == null && output == null) {
      throw new ParameterException(spec.commandLine(),
          "reserve needs --estimate N (tokens), or --input N and --output N (the split a USD budget prices exactly)");
    }
    if (estimate != null && (input != null || output != null)) {
      throw new ParameterException(spec.commandLine(), "--estimate " + estimate + " and --"
          + (input != null ? "input " + input : "output " + output)
          + " are both given; give --estimate N, or --input N and --output N");
    }
    TokenUsageEvent.Builder builder = TokenUsageEvent.builder(model)
        .timestamp(context.env().clock().now())
        .project(dimensions.project).session(dimensions.session).tags(dimensions.tags(spec.commandLine()));
    if (estimate != null) {
      builder.outputTokens(estimate);
    } else {
      builder.inputTokens(input == null ? 0 : input).outputTokens(output == null ? 0 : output);
    }
    return UsageOptions.build(builder, spec.commandLine(),
        estimate != null ? java.util.Map.of("outputTokens", "--estimate") : java.util.Map.of());
  }
}
