package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.audit.FileAuditTrail;
import dev.tokenwatch.app.logging.Redaction;
import dev.tokenwatch.app.view.OutboxText;
import dev.tokenwatch.app.view.UnpricedModels;
import dev.tokenwatch.app.wiring.Application;
import dev.tokenwatch.app.wiring.EffectivePrices;
import dev.tokenwatch.app.wiring.StoreException;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.NotifierConfig;
import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.Usage;
import dev.tokenwatch.domain.ledger.Dimension;
import dev.tokenwatch.domain.ledger.UsageQuery;
import dev.tokenwatch.domain.port.AlertSink;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokenwatch doctor}: checks the configuration, the store and the notifiers. */
@Command(name = "doctor", description = {
    "Checks the configuration, the store and each notifier.",
    "Opens the store and reads the current period, lists the models in the ledger without a",
    "price; --test-alert sends a test alert through every notifier."})
final class DoctorCommand implements Callable<Integer> {

  private final CliContext context;

  @Option(names = "--test-alert", description = "Send a test alert through every notifier.")
  boolean testAlert;

  DoctorCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    AppConfig config = context.config();
    var out = context.out();
    out.println("config     ok: " + config.source());
    out.println("audit log  " + config.stateDirectory().resolve(FileAuditTrail.FILE_NAME));
    Application application = context.application();
    TokenTracker tracker = application.tracker();
    Usage usage;
    try {
      usage = tracker.getUsage();
    } catch (StoreException e) {
      out.println("store      FAILED: " + Redaction.redact(e.getMessage()));
      throw e;
    }
    out.println("store      ok: " + config.store().describe() + " (" + usage.usedOfLimit() + " used in the current "
        + "period of budget '" + tracker.getBudget().name() + "'" + (config.budgets().size() > 1
            ? " and " + (config.budgets().size() - 1) + " more" : "") + ")");
    out.print(UnpricedModels.text(tracker.query(UsageQuery.all().groupBy(Dimension.MODEL)),
        EffectivePrices.of(config)));
    String outbox = OutboxText.text(tracker.undeliveredAlerts());
    out.print(outbox.isEmpty() ? "alerts     ok: none waiting for delivery\n" : outbox);
    List<AlertSink> sinks = application.alertSinks();
    if (config.notifiers().isEmpty()) {
      out.println("notifiers  none configured: alerts are only written to the audit log");
    }
    boolean allDelivered = true;
    for (int i = 0; i < config.notifiers().size(); i++) {
      NotifierConfig notifier = config.notifiers().get(i);
      if (!testAlert) {
        out.println("notifier   " + notifier.describe());
        continue;
      }
      java.util.Optional<String> problem;
      try {
        problem = sinks.get(i).deliverNow(testAlert(tracker, usage, context.env().clock().now()));
      } catch (RuntimeException e) { // a sink may throw its failure (Slack does, for the outbox)
        problem = java.util.Optional.of(String.valueOf(e.getMessage()));
      }
      if (problem.isEmpty()) {
        out.println("notifier   ok: " + notifier.describe() + ": test alert delivered");
      } else {
        allDelivered = false;
        out.println("notifier   FAILED: " + notifier.describe() + ": " + Redaction.redact(problem.get()));
      }
    }
    return allDelivered ? ExitCodes.OK : ExitCodes.OVER;
  }

  private static Alert testAlert(TokenTracker tracker, Usage usage, Instant now) {
    // one test alert, for the first budget, naming the others: a notifier that delivers one delivers all
    List<String> others = tracker.budgets().stream().skip(1).map(b -> b.getBudget().name()).toList();
    return Alert.test(tracker.getBudget(), usage, tracker.getCurrentPeriod(), now,
        others.isEmpty() ? "" : "alerts of budgets " + String.join(", ", others) + " go the same way");
  }
}
