package dev.tokenwatch.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditLineTest {

  private static final Instant TIME = Instant.parse("2026-11-28T10:15:30.123456Z");

  private static String line(String value) {
    return new AuditLine(TIME, "INFO", "track", "b").string("model", value).toString();
  }

  @Test
  void writesOneJsonObjectWithTheRecordsFieldsInOrder() {
    assertThat(new AuditLine(TIME, "INFO", "track", "team-a").number("used", 1200).percent("percentage", 0.72449)
        .decimal("threshold", 0.5).instant("timestamp", Instant.parse("2026-01-02T03:04:05Z")).toString())
        .isEqualTo("{\"time\":\"2026-11-28T10:15:30.123Z\",\"level\":\"INFO\",\"event\":\"track\",\"budget\":\"team-a\","
            + "\"used\":1200,\"percentage\":72.4,\"threshold\":0.5,\"timestamp\":\"2026-01-02T03:04:05.000Z\"}");
  }

  @Test
  void plainAndNonAsciiTextIsCopiedAsItIs() {
    assertThat(line("claude-sonnet-4.5 (é, 日本)")).endsWith("\"model\":\"claude-sonnet-4.5 (é, 日本)\"}");
    assertThat(line("")).endsWith("\"model\":\"\"}");
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
