package dev.tokenwatch.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.tokenwatch.config.NotifierConfig;
import dev.tokenwatch.domain.port.AlertSink;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import dev.tokenwatch.notifier.slack.SlackConfig;

/**
 * {@code notifiers: - type: slack}: posts alerts to an incoming webhook from a background worker,
 * started only when the tracker is built and closed (draining its queue) by {@link AppResources}.
 */
final class SlackNotifierModule extends AbstractModule {

  private final NotifierConfig.Slack config;

  SlackNotifierModule(NotifierConfig.Slack config) {
    this.config = config;
  }

  @ProvidesIntoSet
  AlertSink slack(AppResources resources) {
    return resources.register(config.describe(),
        SlackAlertSink.start(SlackConfig.ofDefaults(config.webhookUrl().reveal())));
  }
}
