package dev.tokenwatch.persistence.jdbc;

import java.time.Instant;

/**
 * How the ledger stores instants: whole epoch microseconds ({@code ts_us}, what indexes and range
 * predicates use) plus the nanoseconds beyond them ({@code ts_ns}, 0 to 999), so an event comes back
 * exactly as recorded; and the 15-minute bucket ({@code floor(epoch seconds / 900)}) that rollups are
 * keyed by. Every zone offset in use today is a multiple of 15 minutes, so a bucket always lies inside
 * one hour, day, week or month of such a zone.
 */
final class LedgerTime {

  /** Seconds in a bucket. */
  static final long BUCKET_SECONDS = 900;

  private LedgerTime() {}

  /**
   * Whole microseconds since the epoch, rounded down.
   *
   * @throws IllegalArgumentException if the instant lies beyond what a 64-bit microsecond count holds
   *     (about 292,000 years from 1970)
   */
  static long micros(Instant at) {
    try {
      return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("timestamp " + at + " is outside the range the SQL store keeps "
          + "(about 292,000 years around 1970)", e);
    }
  }

  /** The nanoseconds of {@code at} beyond {@link #micros}. */
  static int nanosRest(Instant at) {
    return at.getNano() % 1_000;
  }

  /** The instant stored as {@code micros} and {@code nanosRest}. */
  static Instant instant(long micros, int nanosRest) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1_000L + nanosRest);
  }

  /** The bucket holding {@code at}. */
  static long bucket(Instant at) {
    return Math.floorDiv(at.getEpochSecond(), BUCKET_SECONDS);
  }

  /** The first instant of {@code bucket}. */
  static Instant bucketStart(long bucket) {
    return Instant.ofEpochSecond(bucket * BUCKET_SECONDS);
  }

  /** The first bucket starting at or after {@code at}. */
  static long firstBucketFrom(Instant at) {
    long b = bucket(at);
    return bucketStart(b).equals(at) ? b : b + 1;
  }
}
