package dev.tokenwatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.BudgetUnit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plain embedding: read a file into the model without the CLI; the model lists its secrets. */
class EmbeddingTest {

  @TempDir
  Path dir;

  @Test
  void aFileIsReadIntoBudgetsStoreAndNotifiersWithItsSecretsListed() throws Exception {
    Path file = Files.writeString(dir.resolve("tokenwatch.yaml"), """
        budgets:
          - {name: org, limit: 250 USD, period: daily}
        store: {type: jdbc, url: "jdbc:postgresql://u:pa55word@db/x", password: "${DB_PASSWORD}"}
        notifiers: {giveUpAfter: 1h, sinks: [{type: slack, webhookUrl: "https://hooks.slack.com/services/T/B/abc"}]}
        """);
    ConfigEnvironment env = ConfigEnvironment.of(Map.of("DB_PASSWORD", "hunter22"), dir.resolve("home"), dir);
    AppConfig config = new ConfigLoader(env).read(file);
    assertThat(config.budget().unit()).isEqualTo(BudgetUnit.USD);
    assertThat(config.store()).isInstanceOf(StoreConfig.Jdbc.class);
    assertThat(config.notifierSettings().giveUpAfter()).hasHours(1);
    assertThat(config.secrets()).contains("hunter22", "pa55word", "https://hooks.slack.com/services/T/B/abc",
        "/services/T/B/abc");
    assertThat(config.toString()).doesNotContain("hunter22").doesNotContain("pa55word").doesNotContain("abc}");
    assertThat(config.file()).contains(file);
  }
}
