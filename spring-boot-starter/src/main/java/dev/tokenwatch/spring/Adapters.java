package dev.tokenwatch.spring;

import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.memory.InMemoryUsageStore;
import dev.tokenwatch.domain.port.UsageStore;
import dev.tokenwatch.notifier.slack.SlackAlertSink;
import dev.tokenwatch.notifier.slack.SlackConfig;
import dev.tokenwatch.persistence.file.FileUsageStore;
import dev.tokenwatch.persistence.jdbc.JdbcUsageStore;
import java.util.List;
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

  static UsageStore store(TokenwatchProperties.Store store) {
    String prefix = TokenwatchProperties.PREFIX + ".store";
    return switch (store.getType()) {
      case MEMORY -> new InMemoryUsageStore();
      case FILE -> named(prefix + ".path", () -> FileUsageStore.builder(
          store.getPath() != null ? store.getPath() : FileUsageStore.defaultDirectory()).build());
      case JDBC -> named(prefix, () -> {
        if (store.getUrl() == null || store.getUrl().isBlank()) {
          throw new IllegalArgumentException("url must be set for type jdbc");
        }
        JdbcUsageStore.Builder builder = JdbcUsageStore.builder().url(store.getUrl());
        if (store.getUser() != null) {
          builder.user(store.getUser());
        }
        if (store.getPassword() != null) {
          builder.password(store.getPassword());
        }
        if (store.getSchema() != null) {
          builder.schema(store.getSchema());
        }
        return builder.build();
      });
    };
  }

  static SlackAlertSink slack(TokenwatchProperties.Slack slack) {
    // SlackConfig's messages never quote the URL
    SlackConfig config = named(TokenwatchProperties.PREFIX + ".notifiers.slack.webhook-url",
        () -> SlackConfig.ofDefaults(slack.getWebhookUrl()));
    return SlackAlertSink.start(config);
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
