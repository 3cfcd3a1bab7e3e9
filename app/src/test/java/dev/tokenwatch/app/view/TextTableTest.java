package dev.tokenwatch.app.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a table gives way to a narrow width: compact numbers, then columns in their drop order, then a cut. */
class TextTableTest {

  private static TextTable table() {
    TextTable table = new TextTable(List.of(new TextTable.Column("Name", false, TextTable.KEEP),
        new TextTable.Column("Minor", true, 2), new TextTable.Column("Major", true, 1),
        new TextTable.Column("Total", true, TextTable.KEEP), new TextTable.Column("Note", false, 3)), 0);
    table.row(TextTable.Cell.of("a-rather-long-name-of-a-row"), ReportText.tokens(1_234), ReportText.tokens(48_012_345),
        ReportText.tokens(999_950), TextTable.Cell.of(""));
    table.row(true, TextTable.Cell.of("b"), ReportText.tokens(7), ReportText.tokens(0), ReportText.tokens(12),
        TextTable.Cell.of(""));
    return table;
  }

  @Test
  void wideWhenItFitsNumbersRightAligned() {
    assertThat(table().render(200, false)).isEqualTo("""
        Name                         Minor       Major    Total  Note
        a-rather-long-name-of-a-row  1,234  48,012,345  999,950

        b                                7           0       12
        """);
    assertThat(table().render(10, true)).isEqualTo(table().render(200, false));
  }

  @Test
  void narrowCompactsThenDropsEmptyThenByRankThenCuts() {
    // exact: 62 wide; compact (1.2k, 48.0M, 1.0M) with the empty Note gone: 27+2+5+2+5+2+5 = 48
    assertThat(table().render(48, false)).isEqualTo("""
        Name                         Minor  Major  Total
        a-rather-long-name-of-a-row   1.2k  48.0M   1.0M

        b                                7      0     12
        """);
    assertThat(table().render(47, false)).isEqualTo("""
        Name                         Major  Total
        a-rather-long-name-of-a-row  48.0M   1.0M

        b                                0     12
        """);
    assertThat(table().render(34, false)).isEqualTo("""
        Name                         Total
        a-rather-long-name-of-a-row   1.0M

        b                               12
        """);
    // only the columns that always stay, and still 14 too wide: the name cut to 13
    assertThat(table().render(20, false)).isEqualTo("""
        Name           Total
        a-rath…-a-row   1.0M

        b                 12
        """);
    // never narrower than MIN_SHRUNK: the line is then wider than asked
    assertThat(table().render(5, false).lines().skip(1).findFirst().orElseThrow()).isEqualTo("a-rat…-a-row   1.0M");
  }

  @Test
  void shortenKeepsTheStartAndTheEnd() {
    assertThat(DisplayWidth.shorten("6f1c2a7e-5b8d-4c1e-9a3f-0d2b7c4e8f19", 12)).isEqualTo("6f1c2…4e8f19");
    assertThat(DisplayWidth.shorten("short", 12)).isEqualTo("short");
    // by columns: each ideograph takes two, so 12 columns hold five of them and the ellipsis
    assertThat(DisplayWidth.shorten("/home/ann/プロジェクト計画書", 12)).isEqualTo("/home…計画書");
    assertThat(DisplayWidth.of("/home…計画書")).isEqualTo(12);
  }

  @Test
  void wideCharactersTakeTwoColumnsAndMarksNone() {
    assertThat(DisplayWidth.of("abc")).isEqualTo(3);
    assertThat(DisplayWidth.of("日本語")).isEqualTo(6);
    assertThat(DisplayWidth.of("한국어")).isEqualTo(6);
    assertThat(DisplayWidth.of("ＡＢ")).isEqualTo(4); // full-width forms
    assertThat(DisplayWidth.of("e\u0301")).isEqualTo(1); // e and a combining acute accent
    assertThat(DisplayWidth.of("café—x")).isEqualTo(6);
    assertThat(DisplayWidth.of("\uD83D\uDE80")).isEqualTo(2); // an emoji outside the BMP
  }

  @Test
  void columnsOfCjkNamesStayAligned() {
    TextTable table = new TextTable(List.of(new TextTable.Column("Project", false, TextTable.KEEP),
        new TextTable.Column("Total", true, TextTable.KEEP)), 0);
    table.row(TextTable.Cell.of("/home/ann/計画書"), ReportText.tokens(1_234));
    table.row(TextTable.Cell.of("/home/ann/plan"), ReportText.tokens(56));
    // the ideographs take 6 columns: the name column is 16 wide, not 13
    assertThat(table.render(200, false)).isEqualTo("""
        Project           Total
        /home/ann/計画書  1,234
        /home/ann/plan       56
        """);
  }
}
