package dev.tokenwatch.persistence.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The journal's own instant formatting must print exactly what {@link Instant#toString()} prints. */
class InstantTextTest {

  private static final long YEAR_10000 = Instant.parse("+10000-01-01T00:00:00Z").getEpochSecond();

  @Test
  void edgesMatchToString() {
    List<Instant> edges = List.of(Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(0, 1),
        Instant.ofEpochSecond(-1, 999_999_999), Instant.parse("1999-12-31T23:59:59.999Z"),
        Instant.parse("2000-02-29T12:00:00Z"), Instant.parse("2024-02-29T23:59:59.000001Z"),
        Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2100-03-01T00:00:00.123456789Z"),
        Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.ofEpochSecond(YEAR_10000),
        Instant.ofEpochSecond(YEAR_10000 - 1), Instant.parse("0001-01-01T00:00:00Z"), Instant.MIN, Instant.MAX);
    for (Instant instant : edges) {
      assertThat(InstantText.of(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }

  @Test
  void randomInstantsMatchToString() {
    SplittableRandom random = new SplittableRandom(20261128);
    int[] nanoScales = {0, 1_000_000, 1_000, 1};
    for (int i = 0; i < 50_000; i++) {
      long seconds = random.nextLong(-YEAR_10000, YEAR_10000 + 86_400L * 366);
      int scale = nanoScales[random.nextInt(nanoScales.length)];
      int nanos = scale == 0 ? 0 : random.nextInt(1_000_000_000 / scale) * scale;
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      assertThat(InstantText.of(instant)).as("%s", instant).isEqualTo(instant.toString());
    }
  }

  @Test
  void everyDayOfFourCenturiesMatchesToString() {
    // 400 Gregorian years: every leap-year rule (4, 100, 400) and month length, with a time of day.
    long from = Instant.parse("1970-01-01T00:00:00Z").getEpochSecond();
    for (long day = 0; day < 146_097; day++) {
      Instant instant = Instant.ofEpochSecond(from + day * 86_400 + (day * 7_919) % 86_400);
      assertThat(InstantText.of(instant)).isEqualTo(instant.toString());
    }
  }
}
