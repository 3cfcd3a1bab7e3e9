package dev.tokenwatch.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.tokenwatch.config.NotifierConfig;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import dev.tokenwatch.notifier.slack.SlackConfig;

/**
 * {@code notifiers: - type: slack}: posts alerts to an incoming webhook, one request per attempt; the
 * tracker's outbox delivers to it from its delivery thread and retries. Nothing to close.
 */
final class SlackNotifierModule extends AbstractModule {

  private final NotifierConfig.Slack config;

  SlackNotifierModule(NotifierConfig.Slack config) {
    this.config = config;
  }

  @ProvidesIntoSet
  AlertSink slack() {
    return SlackAlertSink.of(SlackConfig.ofDefaults(config.webhookUrl().reveal()));
  }
}
