package dev.tokenwatch.ingest;

/** A small, stable byte hash for file-head fingerprints (persisted, so it must never change). */
final class Hashes {

  private Hashes() {}

  /** FNV-1a, 64 bit, of {@code len} bytes at {@code off}. */
  static long fnv64(byte[] bytes, int off, int len) {
    long h = 0xcbf29ce484222325L;
    for (int i = off, end = off + len; i < end; i++) {
      h ^= bytes[i] & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
