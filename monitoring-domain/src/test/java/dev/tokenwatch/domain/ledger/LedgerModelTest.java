package dev.tokenwatch.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerModelTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void globsMatchWholeNamesWithStarAndQuestionMark() {
    assertThat(ModelGlob.of("claude-opus-*").matches("claude-opus-4-1-20250805")).isTrue();
    assertThat(ModelGlob.of("claude-opus-*").matches("anthropic/claude-opus-4")).isFalse();
    assertThat(ModelGlob.of("gpt-4?").matches("gpt-4o")).isTrue();
    assertThat(ModelGlob.of("gpt-4?").matches("gpt-4o-mini")).isFalse();
    assertThat(ModelGlob.of("a.b+c").matches("a.b+c")).isTrue();
    assertThat(ModelGlob.of("a.b+c").matches("aXb+c")).as("regex characters are literal").isFalse();
    assertThat(ModelGlob.of("gpt-4o").isExact()).isTrue();
    assertThatThrownBy(() -> ModelGlob.of(" ")).hasMessage("model pattern must not be blank, got \" \"");
  }

  @Test
  void globsBecomeEscapedSqlLikePatterns() {
    assertThat(ModelGlob.of("claude-*").toSqlLike()).isEqualTo("claude-%");
    assertThat(ModelGlob.of("my_model%1?").toSqlLike()).isEqualTo("my\\_model\\%1_");
    assertThat(ModelGlob.of("back\\slash").toSqlLike()).isEqualTo("back\\\\slash");
  }

  @Test
  void filtersNeedEveryCondition() {
    TokenUsageEvent e = TokenUsageEvent.builder("claude-opus-4").inputTokens(1).timestamp(AT).project("p")
        .session("s").tag("team", "search").build();
    assertThat(UsageFilter.ANY.matches(e)).isTrue();
    assertThat(UsageFilter.models("gpt-*", "claude-*").withProject("p").withTag("team", "search").matches(e)).isTrue();
    assertThat(UsageFilter.models("claude-*").withSession("other").matches(e)).isFalse();
    assertThat(UsageFilter.ANY.withTag("env", "prod").matches(e)).isFalse();
    assertThatThrownBy(() -> UsageFilter.ANY.withTag("Bad", "x")).hasMessageContaining("tag key must match");
  }

  @Test
  void equalFiltersHaveOneCanonicalText() {
    UsageFilter a = UsageFilter.models("b", "a").withTag("y", "1").withTag("x", "2");
    UsageFilter b = new UsageFilter(List.of(ModelGlob.of("a"), ModelGlob.of("b")), null, null, Map.of("x", "2", "y", "1"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.canonical()).isEqualTo(b.canonical());
    assertThat(UsageFilter.ANY.withProject("a,b").canonical()).isNotEqualTo(UsageFilter.ANY.withProject("a").canonical());
    assertThat(UsageFilter.ANY.withProject("x;session=y").canonical())
        .isNotEqualTo(UsageFilter.ANY.withProject("x").withSession("y").canonical());
    assertThat(a.toString()).isEqualTo("model b or a, tag x=2, tag y=1");
    assertThat(UsageFilter.ANY.toString()).isEqualTo("all usage");
  }

  @Test
  void dimensionsParseAndNameThemselves() {
    assertThat(Dimension.parse("model")).isEqualTo(Dimension.MODEL);
    assertThat(Dimension.parse("tag:team")).isEqualTo(Dimension.tag("team"));
    assertThat(Dimension.parse("tag:team").label()).isEqualTo("tag:team");
    assertThatThrownBy(() -> Dimension.parse("tag:")).hasMessageContaining("got \"tag:\"");
    assertThatThrownBy(() -> Dimension.parse("user"))
        .hasMessage("grouping must be one of model, project, session, tag:KEY, got \"user\"");
    assertThatThrownBy(() -> Dimension.parse("tag:Team")).hasMessageContaining("tag key must match");
  }

  @Test
  void queriesRejectEmptyRangesAndRepeatedDimensions() {
    assertThatThrownBy(() -> UsageQuery.all().between(AT, AT))
        .hasMessage("until (2026-01-01T00:00:00Z) must be after from (2026-01-01T00:00:00Z)");
    assertThatThrownBy(() -> UsageQuery.all().groupBy(Dimension.MODEL, Dimension.MODEL))
        .hasMessageContaining("each dimension may be grouped by once");
    assertThat(TimeGrain.parse("Day")).isEqualTo(TimeGrain.DAY);
    assertThatThrownBy(() -> TimeGrain.parse("year")).hasMessage("grain must be one of hour, day, week, month, got \"year\"");
  }

  @Test
  void theRequestRuleReplacesOnlyALargerTotal() {
    TokenUsageEvent e = TokenUsageEvent.builder("m").inputTokens(10).timestamp(AT).requestId("r").build();
    assertThat(RequestRule.decide(-1, e)).isEqualTo(RequestRule.Decision.RECORD);
    assertThat(RequestRule.decide(9, e)).isEqualTo(RequestRule.Decision.REPLACE);
    assertThat(RequestRule.decide(10, e)).isEqualTo(RequestRule.Decision.DUPLICATE);
    assertThat(RequestRule.decide(11, e)).isEqualTo(RequestRule.Decision.DUPLICATE);
    TokenUsageEvent anonymous = TokenUsageEvent.builder("m").inputTokens(10).timestamp(AT).build();
    assertThat(RequestRule.decide(100, anonymous)).isEqualTo(RequestRule.Decision.RECORD);
  }

  @Test
  void countsAddExactly() {
    Counts a = new Counts(1, 2, 3, 4, 10, 1);
    assertThat(a.plus(a)).isEqualTo(new Counts(2, 4, 6, 8, 20, 2));
    assertThat(a.minus(a)).isEqualTo(Counts.ZERO);
    assertThat(a.minus(a).isZero()).isTrue();
    assertThatThrownBy(() -> new Counts(Long.MAX_VALUE, 0, 0, 0, 0, 0).plus(a)).isInstanceOf(ArithmeticException.class);
  }

  @Test
  void windowsAreIdentifiedByBudgetPeriodAndScope() {
    BudgetWindow w = new BudgetWindow("b", AT, AT.plusSeconds(60), UsageFilter.ANY);
    assertThat(w).isEqualTo(new BudgetWindow("b", AT, AT.plusSeconds(60), UsageFilter.ANY));
    assertThat(w).isNotEqualTo(new BudgetWindow("b", AT, AT.plusSeconds(61), UsageFilter.ANY));
    assertThat(w).isNotEqualTo(new BudgetWindow("b", AT, AT.plusSeconds(60), UsageFilter.models("x")));
    assertThat(w.contains(AT)).isTrue();
    assertThat(w.contains(AT.plusSeconds(60))).isFalse();
    assertThat(w.overlaps(AT.minusSeconds(10), AT.plusSeconds(1))).isTrue();
    assertThat(w.overlaps(AT.plusSeconds(60), AT.plusSeconds(70))).isFalse();
    assertThatThrownBy(() -> new BudgetWindow("b", AT, AT, UsageFilter.ANY)).hasMessageContaining("must be after");
  }
}
