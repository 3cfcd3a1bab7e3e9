package dev.tokenwatch.persistence.jdbc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 128-bit key of one combination of dimensions (model, project, session, tags text), the
 * first half of a SHA-256 over the length-prefixed values: rollup rows are keyed by (bucket, this
 * key), a compact fixed-width primary key whatever the length of the dimensions. Two distinct
 * combinations share a key with a probability of about n²/2¹²⁹ (n = distinct combinations).
 *
 * @param high the first 64 bits
 * @param low the next 64 bits
 */
record DimensionsKey(long high, long low) implements Comparable<DimensionsKey> {

  /** Keys computed lately: most events repeat the dimensions of the ones before (one session, one model). */
  private static final int MAX_CACHED = 10_000;
  private static final ConcurrentHashMap<List<String>, DimensionsKey> CACHE = new ConcurrentHashMap<>();

  static DimensionsKey of(String model, String project, String session, String tagText) {
    List<String> dimensions = Arrays.asList(model, project, session, tagText);
    DimensionsKey cached = CACHE.get(dimensions);
    if (cached != null) {
      return cached;
    }
    DimensionsKey key = compute(model, project, session, tagText);
    if (CACHE.size() >= MAX_CACHED) {
      CACHE.clear();
    }
    CACHE.put(dimensions, key);
    return key;
  }

  private static DimensionsKey compute(String model, String project, String session, String tagText) {
    MessageDigest sha = Sha256.newDigest();
    update(sha, model);
    update(sha, project);
    update(sha, session);
    update(sha, tagText);
    ByteBuffer digest = ByteBuffer.wrap(sha.digest());
    return new DimensionsKey(digest.getLong(), digest.getLong());
  }

  private static void update(MessageDigest sha, String value) {
    if (value == null) {
      sha.update((byte) 0);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update((byte) 1);
    sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    sha.update(bytes);
  }

  @Override
  public int compareTo(DimensionsKey other) {
    int c = Long.compare(high, other.high);
    return c != 0 ? c : Long.compare(low, other.low);
  }
}
