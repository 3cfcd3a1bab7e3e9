package dev.tokenwatch.persistence.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The ledger's column encodings: instants, tags text, dimension keys, and where 15-minute buckets fit a zone. */
class LedgerEncodingTest {

  @Test
  void instantsRoundTripToTheNanosecondAndBucketsFloorBeforeTheEpoch() {
    for (Instant at : new Instant[] {Instant.parse("2026-03-01T12:34:56.123456789Z"),
        Instant.parse("1969-12-31T23:59:59.999999999Z"), Instant.EPOCH, Instant.parse("1900-01-01T00:00:00.5Z")}) {
      assertThat(LedgerTime.instant(LedgerTime.micros(at), LedgerTime.nanosRest(at))).isEqualTo(at);
      assertThat(LedgerTime.bucketStart(LedgerTime.bucket(at))).isBeforeOrEqualTo(at);
      assertThat(LedgerTime.bucketStart(LedgerTime.bucket(at) + 1)).isAfter(at);
    }
    assertThat(LedgerTime.bucket(Instant.parse("1969-12-31T23:59:59Z"))).isEqualTo(-1);
    assertThat(LedgerTime.firstBucketFrom(Instant.ofEpochSecond(900))).isEqualTo(1);
    assertThat(LedgerTime.firstBucketFrom(Instant.ofEpochSecond(900, 1))).isEqualTo(2);
    assertThatThrownBy(() -> LedgerTime.micros(Instant.MAX)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the range");
  }

  @Test
  void tagsTextRoundTripsAndALikeMatchesOnlyARealPair() {
    Map<String, String> tags = new TreeMap<>(Map.of("team", "a,b=c%d", "env", "x_y\\z", "k", "v"));
    String text = TagText.of(tags);
    assertThat(TagText.parse(text)).isEqualTo(tags);
    assertThat(TagText.of(Map.of())).isEmpty();
    assertThat(TagText.parse("")).isEmpty();
    // A value that spells out another pair must not match that pair.
    String tricky = TagText.of(Map.of("a", "x,k=v,"));
    assertThat(like(TagText.likePattern("k", "v"), tricky)).isFalse();
    assertThat(like(TagText.likePattern("k", "v"), text)).isTrue();
    assertThat(like(TagText.likePattern("team", "a,b=c%d"), text)).isTrue();
    assertThat(like(TagText.likePattern("env", "x_y\\z"), text)).isTrue();
    assertThat(like(TagText.likePattern("env", "xay\\z"), text)).as("_ is literal").isFalse();
  }

  /** SQL LIKE with escape character backslash, as both databases apply it. */
  private static boolean like(String pattern, String text) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches();
  }

  @Test
  void dimensionKeysSeparateNullFromTextAndFieldsFromEachOther() {
    assertThat(DimensionsKey.of("m", null, "s", "")).isNotEqualTo(DimensionsKey.of("m", "s", null, ""));
    assertThat(DimensionsKey.of("ab", "c", null, "")).isNotEqualTo(DimensionsKey.of("a", "bc", null, ""));
    assertThat(DimensionsKey.of("m", "p", "s", ",k=v,")).isEqualTo(DimensionsKey.of("m", "p", "s", ",k=v,"));
  }

  @Test
  void bucketsFitEveryZoneSinceItLeftLocalMeanTime() {
    assertThat(LedgerQuery.alignedSince(ZoneOffset.UTC.getRules())).isNull();
    assertThat(LedgerQuery.alignedSince(ZoneId.of("Europe/Berlin").getRules()))
        .isBefore(Instant.parse("1900-01-01T00:00:00Z"));
    Instant kolkata = LedgerQuery.alignedSince(ZoneId.of("Asia/Kolkata").getRules());
    Instant kathmandu = LedgerQuery.alignedSince(ZoneId.of("Asia/Kathmandu").getRules());
    assertThat(kolkata).isBefore(Instant.parse("1960-01-01T00:00:00Z"));
    assertThat(kathmandu).isBetween(Instant.parse("1900-01-01T00:00:00Z"), Instant.parse("1990-01-01T00:00:00Z"));
    assertThat(LedgerQuery.alignedSince(ZoneOffset.ofHoursMinutesSeconds(5, 53, 28).getRules()))
        .isEqualTo(Instant.MAX);
  }
}
