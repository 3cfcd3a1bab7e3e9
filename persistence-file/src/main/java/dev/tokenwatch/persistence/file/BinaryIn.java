package dev.tokenwatch.persistence.file;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link BinaryOut} wrote from a byte range; running past its end raises {@link
 * FormatProblem}. Repeated short strings (models, projects, tag values) come from a small cache, so
 * a scan over a million events does not build a million copies of the same few names.
 */
final class BinaryIn {

  private static final int CACHE_SLOTS = 512;

  private byte[] bytes;
  private int position;
  private int end;
  private final byte[][] cachedBytes = new byte[CACHE_SLOTS][];
  private final String[] cachedStrings = new String[CACHE_SLOTS];

  BinaryIn() {}

  BinaryIn(byte[] bytes, int from, int to) {
    reset(bytes, from, to);
  }

  /** Reads {@code [from, to)} of {@code data} next; the string cache is kept. */
  BinaryIn reset(byte[] data, int from, int to) {
    this.bytes = data;
    this.position = from;
    this.end = to;
    return this;
  }

  /** The bytes being read (for a reader that keeps a range of them). */
  byte[] array() {
    return bytes;
  }

  /** Skips {@code n} bytes. */
  void skip(int n) throws FormatProblem {
    need(n);
    position += n;
  }

  int position() {
    return position;
  }

  boolean hasMore() {
    return position < end;
  }

  /** Bytes left to read. */
  int remaining() {
    return end - position;
  }

  private void need(int n) throws FormatProblem {
    if (end - position < n) {
      throw new FormatProblem("ends early: " + n + " more bytes needed at " + position + ", " + (end - position)
          + " left");
    }
  }

  /** A long written by {@link BinaryOut#putVarLong}. */
  long getVarLong() throws FormatProblem {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = getByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (v >>> 1) ^ -(v & 1);
      }
    }
    throw new FormatProblem("a variable-length number runs past 10 bytes");
  }

  int getByte() throws FormatProblem {
    need(1);
    return bytes[position++] & 0xFF;
  }

  int getShort() throws FormatProblem {
    need(2);
    int v = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
    position += 2;
    return v;
  }

  int getInt() throws FormatProblem {
    need(4);
    int v = intAt(bytes, position);
    position += 4;
    return v;
  }

  static int intAt(byte[] data, int at) {
    return ((data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8)
        | (data[at + 3] & 0xFF);
  }

  static long longAt(byte[] data, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (data[at + i] & 0xFF);
    }
    return v;
  }

  long getLong() throws FormatProblem {
    need(8);
    long v = longAt(bytes, position);
    position += 8;
    return v;
  }

  byte[] getBytes(int length) throws FormatProblem {
    need(length);
    byte[] copy = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return copy;
  }

  /** A string written by {@link BinaryOut#putString}, possibly {@code null}. */
  String getString() throws FormatProblem {
    int length = getShort();
    if (length == BinaryOut.NULL_STRING) {
      return null;
    }
    need(length);
    int from = position;
    position += length;
    if (length > 64) {
      return new String(bytes, from, length, StandardCharsets.UTF_8);
    }
    int hash = length;
    for (int i = from; i < from + length; i++) {
      hash = 31 * hash + bytes[i];
    }
    int slot = (hash ^ (hash >>> 16)) & (CACHE_SLOTS - 1);
    byte[] cached = cachedBytes[slot];
    if (cached != null && Arrays.equals(cached, 0, cached.length, bytes, from, from + length)) {
      return cachedStrings[slot];
    }
    String value = new String(bytes, from, length, StandardCharsets.UTF_8);
    cachedBytes[slot] = Arrays.copyOfRange(bytes, from, from + length);
    cachedStrings[slot] = value;
    return value;
  }

  /** A string written by {@link BinaryOut#putText}. */
  String getText() throws FormatProblem {
    long length = getVarLong();
    if (length < 0 || length > end - position) {
      throw new FormatProblem("a text of " + length + " bytes at " + position + " runs past the end ("
          + (end - position) + " bytes left)");
    }
    String value = new String(bytes, position, (int) length, StandardCharsets.UTF_8);
    position += (int) length;
    return value;
  }
}
