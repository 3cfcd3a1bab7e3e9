package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The one rule of a webhook URL's shape; no message shows the URL's secret path. */
class WebhookAddressTest {

  @Test
  void httpsAnywhereAndHttpOnlyToALoopbackHost() {
    assertThat(WebhookAddress.parse(" https://hooks.slack.com/services/T0/B0/s3cr3t "))
        .isEqualTo(URI.create("https://hooks.slack.com/services/T0/B0/s3cr3t"));
    for (String loopback : new String[] {"http://127.0.0.1:8080/h", "http://localhost/h", "http://[::1]:9/h"}) {
      assertThat(WebhookAddress.parse(loopback)).isEqualTo(URI.create(loopback));
    }
    // a name that resolves to loopback does not count: no lookup decides it
    assertThatIllegalArgumentException().isThrownBy(() -> WebhookAddress.parse("http://127.0.0.1.nip.io/s3cr3t"))
        .withMessage("webhookUrl must use https; plain http is accepted only for a loopback host such as 127.0.0.1 "
            + "(tests), got http to host '127.0.0.1.nip.io'");
  }

  @Test
  void refusalsNameTheProblemButNeverTheSecret() {
    String[][] cases = {
        {"ftp://hooks.slack.com/services/s3cr3t", "webhookUrl must use https, got scheme 'ftp'"},
        {"https://u:s3cr3t@hooks.slack.com/x", "webhookUrl must not contain user credentials (user:password@)"},
        {"/services/s3cr3t", "webhookUrl must be an absolute URL with a host"},
        {"https://hooks.slack.com/s3cr3t x", "webhookUrl is not a valid URL: Illegal character in path at character 30"},
        {"  ", "webhookUrl is required (the Slack incoming-webhook URL), got a blank string"}};
    for (String[] c : cases) {
      assertThatIllegalArgumentException().as(c[0]).isThrownBy(() -> WebhookAddress.parse(c[0]))
          .withMessageStartingWith(c[1]).withMessageNotContaining("s3cr3t");
    }
  }
}
