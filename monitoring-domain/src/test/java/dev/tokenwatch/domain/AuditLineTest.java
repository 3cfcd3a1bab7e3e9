package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditLineTest {

  private static final Instant TIME = Instant.parse("2026-11-28T10:15:30.123456Z");
  private static final AuditLine.Value INFO = AuditLine.Value.of("INFO");
  private static final AuditLine.Value TRACK = AuditLine.Value.of("track");
  private static final AuditLine.Value B = AuditLine.Value.of("b");

  private static String line(String value) {
    return AuditLine.start(TIME, INFO, TRACK, B).string(AuditLine.key("model"), value).finish();
  }

  @Test
  void writesOneJsonObjectWithTheRecordsFieldsInOrder() {
    assertThat(AuditLine.start(TIME, INFO, TRACK, AuditLine.Value.of("team-a")).number(AuditLine.key("used"), 1200)
        .percent(AuditLine.key("percentage"), 0.72449).decimal(AuditLine.key("threshold"), 0.5)
        .instant(AuditLine.key("timestamp"), Instant.parse("2026-01-02T03:04:05Z")).finish())
        .isEqualTo("{\"time\":\"2026-11-28T10:15:30.123Z\",\"level\":\"INFO\",\"event\":\"track\",\"budget\":\"team-a\","
            + "\"used\":1200,\"percentage\":72.4,\"threshold\":0.5,\"timestamp\":\"2026-01-02T03:04:05.000Z\"}");
  }

  @Test
  void plainAndNonAsciiTextIsCopiedAsItIs() {
    assertThat(line("claude-sonnet-4.5 (é, 日本, \uD83D\uDE00)")).endsWith("\"model\":\"claude-sonnet-4.5 (é, 日本, \uD83D\uDE00)\"}");
    assertThat(line("")).endsWith("\"model\":\"\"}");
  }

  @Test
  void aValueEncodedOnceIsWrittenLikeTheSameValueEncodedInPlace() {
    for (String text : java.util.List.of("gpt-4o", "é \"q\" \n 日本 \uD83D\uDE00", "")) {
      assertThat(AuditLine.start(TIME, INFO, TRACK, B).value(AuditLine.key("model"), AuditLine.Value.of(text)).finish())
          .isEqualTo(line(text));
      assertThat(AuditLine.Value.of(text).is(text)).isTrue();
    }
    for (long number : new long[] {0, -5, Long.MAX_VALUE / 2, Long.MIN_VALUE}) {
      assertThat(AuditLine.start(TIME, INFO, TRACK, B).value(AuditLine.key("n"), AuditLine.Value.of(number)).finish())
          .endsWith(",\"n\":" + number + "}");
      assertThat(AuditLine.Value.of(number).is(number)).isTrue();
      assertThat(AuditLine.Value.of(number).is(number + 1)).isFalse();
    }
    assertThat(AuditLine.Value.of("0").is(0)).isFalse();
  }

  @Test
  void aLoneSurrogateIsKeptAsAnEscape() {
    assertThat(line("a\uD83Db\uDE00")).endsWith("\"model\":\"a\\ud83db\\ude00\"}");
  }

  @Test
  void writesEveryNumberExactly() {
    long[] values = {0, 7, 10, 99, 100, 12_345, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1_000_000_000_000L,
        999_999_999_999_999_999L, Long.MAX_VALUE, -1, -12_345, Long.MIN_VALUE};
    for (long value : values) {
      assertThat(AuditLine.start(TIME, INFO, TRACK, B).number(AuditLine.key("n"), value).finish())
          .endsWith(",\"n\":" + value + "}");
    }
    java.util.Random random = new java.util.Random(8);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >> random.nextInt(64);
      assertThat(AuditLine.start(TIME, INFO, TRACK, B).number(AuditLine.key("n"), value).finish())
          .endsWith(",\"n\":" + value + "}");
    }
  }

  @Test
  void growsForLongValuesAndStartsAfreshForTheThreadsNextLine() {
    String big = "m".repeat(5000);
    assertThat(line(big)).endsWith("\"model\":\"" + big + "\"}");
    assertThat(line("small")).isEqualTo("{\"time\":\"2026-11-28T10:15:30.123Z\",\"level\":\"INFO\",\"event\":\"track\","
        + "\"budget\":\"b\",\"model\":\"small\"}");
  }

  @Test
  void refusesAFieldNameThatWouldNeedEscaping() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditLine.key("a\"b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a\"b");
  }

  @Test
  void escapesWhatJsonAndJavaScriptLineReadersCannotTakeLiterally() {
    assertThat(line("a\"b\\c")).endsWith("\"model\":\"a\\\"b\\\\c\"}");
    assertThat(line("x\ny\rz\tw")).endsWith("\"model\":\"x\\ny\\rz\\tw\"}");
    assertThat(line("nul\u0000bell\u0007")).endsWith("\"model\":\"nul\\u0000bell\\u0007\"}");
    assertThat(line("ls\u2028ps\u2029")).endsWith("\"model\":\"ls\\u2028ps\\u2029\"}");
    assertThat(line("\"first")).endsWith("\"model\":\"\\\"first\"}");
    assertThat(line("last\\")).endsWith("\"model\":\"last\\\\\"}");
  }

  @Test
  void neverWritesALineBreakOrANulByte() {
    StringBuilder every = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      every.append(c);
    }
    String line = line(every.toString() + "\u2028\u2029");
    assertThat(line).doesNotContain("\n", "\r", "\u0000", "\u2028", "\u2029");
  }
}
