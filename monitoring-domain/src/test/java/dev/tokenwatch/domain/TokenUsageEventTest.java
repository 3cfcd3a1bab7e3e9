package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenUsageEventTest {

  private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

  private static TokenUsageEvent.Builder valid() {
    return TokenUsageEvent.builder("gpt-4o").inputTokens(10).outputTokens(5).timestamp(AT);
  }

  @Test
  void totalDefaultsToSumOfParts() {
    TokenUsageEvent e = valid().cacheCreationTokens(3).cacheReadTokens(2).build();
    assertThat(e.totalTokens()).isEqualTo(20);
    assertThat(e.requestId()).isNull();
    assertThat(e.optionalRequestId()).isEmpty();
  }

  @Test
  void explicitTotalMayExceedTheParts() {
    assertThat(valid().totalTokens(100).build().totalTokens()).isEqualTo(100);
  }

  @Test
  void rejectsBlankModel() {
    assertThatThrownBy(() -> TokenUsageEvent.builder("  ").timestamp(AT).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("model must not be blank, got \"  \"");
    assertThatThrownBy(() -> TokenUsageEvent.builder(null).timestamp(AT).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("model must not be blank, got null");
  }

  @Test
  void rejectsOverlongModel() {
    assertThat(TokenUsageEvent.builder("m".repeat(200)).timestamp(AT).build().model()).hasSize(200);
    assertThatThrownBy(() -> TokenUsageEvent.builder("m".repeat(201)).timestamp(AT).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("model must be at most 200 characters, got 201");
  }

  @Test
  void rejectsEachNegativeCount() {
    assertThatThrownBy(() -> valid().inputTokens(-1).build()).hasMessage("inputTokens must not be negative, got -1");
    assertThatThrownBy(() -> valid().outputTokens(-2).build()).hasMessage("outputTokens must not be negative, got -2");
    assertThatThrownBy(() -> valid().cacheCreationTokens(-3).build())
        .hasMessage("cacheCreationTokens must not be negative, got -3");
    assertThatThrownBy(() -> valid().cacheReadTokens(-4).build())
        .hasMessage("cacheReadTokens must not be negative, got -4");
    assertThatThrownBy(() -> valid().totalTokens(-5).build()).hasMessage("totalTokens must not be negative, got -5");
  }

  @Test
  void rejectsTotalBelowSumOfParts() {
    assertThatThrownBy(() -> valid().totalTokens(14).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("totalTokens must be at least the sum of the parts (15), got 14");
  }

  @Test
  void rejectsOverflowingCounts() {
    assertThatThrownBy(() -> valid().inputTokens(Long.MAX_VALUE).outputTokens(1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("token counts overflow a long: inputTokens=9223372036854775807, outputTokens=1");
  }

  @Test
  void rejectsMissingTimestampAndBlankRequestId() {
    assertThatThrownBy(() -> TokenUsageEvent.builder("m").build()).hasMessageContaining("timestamp");
    assertThatThrownBy(() -> valid().requestId(" ").build())
        .hasMessage("requestId must not be blank when given, got \" \"");
  }

  @Test
  void carriesProjectSessionAndSortedTags() {
    TokenUsageEvent e = valid().project("checkout").session("s-1").tag("team", "search").tag("env", "prod").build();
    assertThat(e.project()).isEqualTo("checkout");
    assertThat(e.session()).isEqualTo("s-1");
    assertThat(e.tags()).containsExactly(java.util.Map.entry("env", "prod"), java.util.Map.entry("team", "search"));
    assertThatThrownBy(() -> e.tags().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(valid().build().tags()).isEmpty();
    assertThat(valid().build().project()).isNull();
  }

  @Test
  void rejectsBadDimensions() {
    assertThatThrownBy(() -> valid().project(" ").build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("project must not be blank when given, got \" \"");
    assertThatThrownBy(() -> valid().session("a\nb").build())
        .hasMessage("session must not contain control characters, got \"a\\u000ab\"");
    assertThatThrownBy(() -> valid().project("p".repeat(501)).build())
        .hasMessage("project must be at most 500 characters, got 501");
    assertThatThrownBy(() -> valid().tag("Team", "x").build())
        .hasMessage("tag key must match [a-z][a-z0-9_.-]{0,31}, got \"Team\"");
    assertThatThrownBy(() -> valid().tag("t".repeat(33), "x").build()).hasMessageContaining("tag key must match");
    assertThatThrownBy(() -> valid().tag("team", "").build())
        .hasMessage("tag team must have a value of 1 to 128 characters, got 0 characters");
    assertThatThrownBy(() -> valid().tag("team", "v".repeat(129)).build())
        .hasMessage("tag team must have a value of 1 to 128 characters, got 129 characters");
    assertThatThrownBy(() -> valid().tag("team", "a\tb").build())
        .hasMessage("tag team must not contain control characters, got \"a\\u0009b\"");
    TokenUsageEvent.Builder nine = valid();
    for (int i = 0; i < 9; i++) {
      nine.tag("k" + i, "v");
    }
    assertThatThrownBy(nine::build).hasMessageStartingWith("tags must be at most 8, got 9");
  }
}
