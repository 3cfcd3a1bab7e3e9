package dev.tokenwatch.spring;

import dev.tokenwatch.config.ConfigEnvironment;
import dev.tokenwatch.config.NotifierSettings;
import dev.tokenwatch.config.Secret;
import dev.tokenwatch.config.StoreConfig;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import dev.tokenwatch.notifier.slack.SlackConfig;
import dev.tokenwatch.persistence.file.FileUsageStore;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Builds the domain's objects and the adapters from the properties with their public builders; a
 * builder's {@link IllegalArgumentException} is rethrown with the property it concerns in front.
 */
final class Adapters {

  private Adapters() {}

  static List<TokenBudget> budgets(TokenwatchProperties properties) {
    List<TokenBudget> budgets = properties.getBudgets().stream().map(TokenwatchBudgetProperties::toBudget).toList();
    if (budgets.isEmpty()) {
      throw new IllegalArgumentException("no budget is configured; set "
          + TokenwatchProperties.PREFIX + ".budgets[0].limit (tokens) or .limit-usd, or "
          + TokenwatchProperties.PREFIX + ".enabled=false");
    }
    return budgets;
  }

  /**
   * The store settings as the configuration model holds them, so the properties mean what the same
   * keys of the CLI's file mean: the same default directory, the same checks of the JDBC URL and schema.
   */
  static StoreConfig storeConfig(TokenwatchProperties.Store store) {
    return named(TokenwatchProperties.PREFIX + ".store", () -> switch (store.getType()) {
      case MEMORY -> new StoreConfig.Memory();
      case FILE -> new StoreConfig.File(store.getPath() != null ? store.getPath()
          : ConfigEnvironment.system().defaultStateDirectory());
      case JDBC -> new StoreConfig.Jdbc(store.getUrl() == null ? null : store.getUrl().trim(),
          Optional.ofNullable(store.getUser()), Optional.ofNullable(store.getPassword()).map(Secret::new),
          Optional.ofNullable(store.getSchema()));
    });
  }

  static UsageStore store(TokenwatchProperties.Store properties) {
    StoreConfig config = storeConfig(properties);
    String prefix = TokenwatchProperties.PREFIX + ".store";
    if (config instanceof StoreConfig.File file) {
      return named(prefix + ".path", () -> FileUsageStore.builder(file.path()).build());
    }
    if (config instanceof StoreConfig.Jdbc jdbc) {
      return named(prefix, () -> {
        JdbcUsageStore.Builder builder = JdbcUsageStore.builder().url(jdbc.url());
        jdbc.user().ifPresent(builder::user);
        jdbc.password().ifPresent(password -> builder.password(password.reveal()));
        jdbc.schema().ifPresent(builder::schema);
        return builder.build();
      });
    }
    return new InMemoryUsageStore();
  }

  /**
   * The delivery settings as the configuration model holds them (checked by its rules again, for
   * properties set by code rather than bound).
   */
  static NotifierSettings notifierSettings(TokenwatchProperties.Notifiers notifiers) {
    return named(TokenwatchProperties.PREFIX + ".notifiers",
        () -> new NotifierSettings(List.of(), notifiers.getGiveUpAfter(), notifiers.getWaitOnExit()));
  }

  static SlackAlertSink slack(TokenwatchProperties.Slack slack) {
    // SlackConfig's messages never quote the URL
    SlackConfig config = named(TokenwatchProperties.PREFIX + ".notifiers.slack.webhook-url",
        () -> SlackConfig.ofDefaults(slack.getWebhookUrl()));
    return SlackAlertSink.of(config);
  }

  /** {@code build}'s result; its IllegalArgumentException again with {@code property} in front. */
  static <T> T named(String property, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
    }
  }
}
