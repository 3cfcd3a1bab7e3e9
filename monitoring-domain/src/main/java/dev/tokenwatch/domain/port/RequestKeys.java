package dev.tokenwatch.domain.port;

import java.nio.charset.StandardCharsets;

/**
 * The compact de-duplication key of a request id: a 64-bit hash of budget name and request id.
 * Stores that keep de-duplication state in memory keep this long instead of the id; with a 64-bit
 * hash, the chance of any collision among a billion ids is about 3%, among a million about one in
 * 30 million.
 */
public final class RequestKeys {

  private RequestKeys() {}

  /** The 64-bit key of {@code requestId} in {@code budget}. */
  public static long of(String budget, String requestId) {
    long h = 0xcbf29ce484222325L; // FNV-1a 64, then a strong finaliser
    h = mix(h, budget.getBytes(StandardCharsets.UTF_8));
    h ^= 0xff;
    h *= 0x100000001b3L;
    h = mix(h, requestId.getBytes(StandardCharsets.UTF_8));
    return fmix64(h);
  }

  private static long mix(long h, byte[] bytes) {
    for (byte b : bytes) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static long fmix64(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb93fe53ae87bL;
    k ^= k >>> 33;
    return k;
  }
}
