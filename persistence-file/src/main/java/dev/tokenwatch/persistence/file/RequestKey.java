package dev.tokenwatch.persistence.file;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 128-bit key under which the on-disk id index keeps a request id: the first 16 bytes of its
 * SHA-256. The ledger must never merge two requests, so a 64-bit hash (a collision is likely
 * somewhere among a few billion ids) is not enough; 128 bits of a cryptographic hash make an
 * accidental or crafted collision practically impossible. Ids recorded since the last compaction are
 * compared exactly (in memory).
 */
record RequestKey(long high, long low) implements Comparable<RequestKey> {

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  });

  static RequestKey of(String requestId) {
    byte[] digest = SHA256.get().digest(requestId.getBytes(StandardCharsets.UTF_8));
    return new RequestKey(BinaryIn.longAt(digest, 0), BinaryIn.longAt(digest, 8));
  }

  @Override
  public int compareTo(RequestKey other) {
    int c = Long.compare(high, other.high);
    return c != 0 ? c : Long.compare(low, other.low);
  }
}
