package dev.tokenwatch.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackConfigTest {

  private static final String SLACK = "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefSECRETxyz";

  @Test
  void defaults() {
    SlackConfig config = SlackConfig.ofDefaults(SLACK);

    assertThat(config.webhookUrl()).isEqualTo(URI.create(SLACK));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.hostName()).isEmpty();
  }

  @Test
  void theWebhookIsShownRedactedOnly() {
    SlackConfig config = SlackConfig.ofDefaults(SLACK);

    assertThat(config.redactedWebhookUrl()).isEqualTo("https://hooks.slack.com/services/T0…/***");
    assertThat(config.toString()).contains("webhookUrl=https://hooks.slack.com/services/T0…/***")
        .doesNotContain("SECRET", "T0123ABCD", "B0456EFGH");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefSECRETxyz",
      "ftp://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefSECRETxyz",
      "hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefSECRETxyz",
      "https://hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdef SECRET xyz",
      "https://user:SECRETpw@hooks.slack.com/services/T0123ABCD/B0456EFGH/abcdefSECRETxyz",
      "http://10.0.0.1/services/T0123ABCD/B0456EFGH/abcdefSECRETxyz",
      "http://127.0.0.1.evil.example/services/T0123ABCD/B0456EFGH/abcdefSECRETxyz"})
  void rejectsUnsafeOrInvalidUrlsWithoutQuotingThem(String url) {
    assertThatIllegalArgumentException().isThrownBy(() -> SlackConfig.ofDefaults(url))
        .withMessageContaining("webhookUrl")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET", "T0123ABCD", "B0456EFGH"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]:9/hook",
      "https://hooks.slack.com/services/T0/B0/x"})
  void acceptsHttpsAndLoopbackHttp(String url) {
    assertThat(SlackConfig.ofDefaults(url).webhookUrl()).isEqualTo(URI.create(url));
  }

  @Test
  void aMissingUrlIsNamed() {
    assertThatIllegalArgumentException().isThrownBy(() -> SlackConfig.builder().build())
        .withMessage("webhookUrl is required (the Slack incoming-webhook URL), got null");
  }

  @Test
  void invalidSettingsAreNamedWithTheirValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SlackConfig.builder().webhookUrl(SLACK).requestTimeout(Duration.ZERO).build())
        .withMessage("requestTimeout must be greater than zero, got PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SlackConfig.builder().webhookUrl(SLACK).connectTimeout(null).build())
        .withMessage("connectTimeout must be set, got null");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> SlackConfig.builder().webhookUrl(SLACK).hostName(" ").build())
        .withMessage("hostName must not be blank when set, got \" \"");
  }
}
