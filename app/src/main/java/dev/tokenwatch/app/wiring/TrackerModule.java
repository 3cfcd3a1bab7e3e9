package dev.tokenwatch.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.tokenwatch.app.audit.FileAuditTrail;
import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.outbox.DeliveryPolicy;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.UsageStore;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * The domain: a {@link TokenTracker} of every configured budget, pricing with the effective price
 * table ({@link EffectivePrices}), over whichever {@link UsageStore} a store module binds, with
 * every {@link AlertSink} the notifier modules add to the set (delivered from the store's outbox,
 * awaited for at most {@code notifiers.waitOnExit} when the command ends: {@link AlertsOnExit}), and
 * the audit trail in the state directory, reconciled with the store when the tracker is made.
 */
final class TrackerModule extends AbstractModule {

  @Override
  protected void configure() {
    // Declares the set, so an empty notifier list ("notifiers: []") is a valid configuration.
    Multibinder.newSetBinder(binder(), AlertSink.class);
  }

  @Provides
  @Singleton
  List<AlertSink> alertSinks(Set<AlertSink> sinks) {
    return List.copyOf(sinks);
  }

  /** Registered before the store (it comes first in {@link #tracker}), so it closes after it. */
  @Provides
  @Singleton
  FileAuditTrail auditTrail(AppConfig config, AppResources resources) {
    FileAuditTrail trail = FileAuditTrail.in(config.stateDirectory());
    return resources.register("the audit log " + trail.file(), trail);
  }

  /** The built-in table (or the one {@code prices --update} wrote) with the configuration's {@code prices:}. */
  @Provides
  @Singleton
  PriceTable prices(AppConfig config) {
    return EffectivePrices.of(config);
  }

  @Provides
  @Singleton
  TokenTracker tracker(FileAuditTrail auditTrail, List<TokenBudget> budgets, PriceTable prices, UsageStore store,
      AppConfig config, List<AlertSink> alerts, Clock clock, AppResources resources,
      @Diagnostics PrintStream diagnostics) {
    UsageStore guarded = new GuardedUsageStore(store, config.store().describe());
    config.retention().ifPresent(retention -> Retention.apply(guarded, retention, clock.now()));
    // the trail first catches up with what killed processes left in the store, then watches each record
    UsageStore watched = auditTrail.reconcileAndWatch(guarded, clock.now());
    TokenTracker tracker = TokenTracker.builder(budgets)
        .prices(prices)
        .store(watched)
        .sinks(alerts)
        .alertDelivery(DeliveryPolicy.DEFAULT.withGiveUpAfter(config.notifierSettings().giveUpAfter()))
        .clock(clock)
        .auditTrail(auditTrail)
        .reservationTimeout(config.reservationTimeout())
        .build();
    resources.register("the delivery of alerts",
        new AlertsOnExit(tracker, config.notifierSettings().waitOnExit(), diagnostics));
    return tracker;
  }
}
