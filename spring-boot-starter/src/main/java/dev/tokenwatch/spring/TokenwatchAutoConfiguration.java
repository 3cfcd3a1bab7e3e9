package dev.tokenwatch.spring;

import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.outbox.DeliveryPolicy;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.domain.port.AuditTrail;
import dev.tokenwatch.domain.port.Clock;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.notifier.console.ConsoleAlertSink;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Configures a {@link TokenTracker} from the {@code tokenwatch.*} properties: its budgets, its
 * {@link UsageStore} (closed with the context) and its alert sinks (the console, Slack, and every
 * {@link AlertSink} bean of the application). Each bean backs off when the application defines one
 * of its type; {@code tokenwatch.enabled=false} turns it all off. The tracker also takes the
 * application's {@link AuditTrail}, {@link PriceTable} and {@link Clock} beans, if any.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = TokenwatchProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(TokenwatchProperties.class)
public class TokenwatchAutoConfiguration {

  /** The store the properties name (a file store in the CLI's state directory by default). */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public UsageStore tokenwatchUsageStore(TokenwatchProperties properties) {
    return Adapters.store(properties.getStore());
  }

  /** One line per alert on stderr, unless {@code tokenwatch.notifiers.console.enabled=false}. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = TokenwatchProperties.PREFIX + ".notifiers.console.enabled",
      matchIfMissing = true)
  public ConsoleAlertSink tokenwatchConsoleAlertSink() {
    return ConsoleAlertSink.forStderr();
  }

  /** Alerts posted to Slack when {@code tokenwatch.notifiers.slack.webhook-url} is set (nothing to close). */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(prefix = TokenwatchProperties.PREFIX + ".notifiers.slack", name = "webhook-url")
  public SlackAlertSink tokenwatchSlackAlertSink(TokenwatchProperties properties) {
    return Adapters.slack(properties.getNotifiers().getSlack());
  }

  /** The tracker of the configured budgets over the store, alerting every sink. */
  @Bean
  @ConditionalOnMissingBean
  public TokenTracker tokenTracker(TokenwatchProperties properties, UsageStore store,
      ObjectProvider<AlertSink> sinks, ObjectProvider<AuditTrail> auditTrail, ObjectProvider<PriceTable> prices,
      ObjectProvider<Clock> clock) {
    TokenTracker.Builder builder = Adapters.named(TokenwatchProperties.PREFIX + ".budgets",
        () -> TokenTracker.builder(Adapters.budgets(properties)));
    builder.store(store);
    builder.alertDelivery(DeliveryPolicy.DEFAULT.withGiveUpAfter(
        Adapters.notifierSettings(properties.getNotifiers()).giveUpAfter()));
    sinks.orderedStream().forEach(builder::sink);
    auditTrail.ifAvailable(builder::auditTrail);
    prices.ifAvailable(builder::prices);
    clock.ifAvailable(builder::clock);
    return Adapters.named(TokenwatchProperties.PREFIX + ".budgets", builder::build);
  }

  /**
   * Waits up to {@code tokenwatch.notifiers.wait-on-exit} for the alerts being delivered when the
   * context closes (before the store and sinks close).
   */
  @Bean
  AlertsOnClose tokenwatchAlertsOnClose(TokenTracker tracker, TokenwatchProperties properties) {
    return new AlertsOnClose(tracker, Adapters.notifierSettings(properties.getNotifiers()).waitOnExit());
  }

  /** Checks {@code tokenwatch.notifiers.give-up-after} and {@code .wait-on-exit} as they are bound. */
  @Bean
  static ConfigurationPropertiesBindHandlerAdvisor tokenwatchNotifierDurationRules() {
    return new NotifierDurationRules();
  }
}
