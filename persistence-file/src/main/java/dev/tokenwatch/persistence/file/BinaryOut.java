package dev.tokenwatch.persistence.file;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer with the few primitives the store's binary formats use; it
 * exposes its array so that whole buffers are written without copying. Not thread-safe.
 */
final class BinaryOut {

  /** The length written for a {@code null} string. */
  static final int NULL_STRING = 0xFFFF;

  private byte[] bytes;
  private int size;

  BinaryOut(int capacity) {
    bytes = new byte[Math.max(16, capacity)];
  }

  byte[] array() {
    return bytes;
  }

  int size() {
    return size;
  }

  void reset() {
    size = 0;
  }

  /** Cuts the content back to {@code newSize} bytes. */
  void truncate(int newSize) {
    size = newSize;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }

  void putByte(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
  }

  void putShort(int value) {
    ensure(2);
    bytes[size++] = (byte) (value >>> 8);
    bytes[size++] = (byte) value;
  }

  void putInt(int value) {
    ensure(4);
    setInt(size, value);
    size += 4;
  }

  /** Overwrites the int at {@code at} (a length or checksum patched after the content). */
  void setInt(int at, int value) {
    bytes[at] = (byte) (value >>> 24);
    bytes[at + 1] = (byte) (value >>> 16);
    bytes[at + 2] = (byte) (value >>> 8);
    bytes[at + 3] = (byte) value;
  }

  void putLong(long value) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      bytes[size + i] = (byte) value;
      value >>>= 8;
    }
    size += 8;
  }

  void putBytes(byte[] source, int from, int length) {
    ensure(length);
    System.arraycopy(source, from, bytes, size, length);
    size += length;
  }

  /** A long in 1 to 10 bytes, small magnitudes shortest (zigzag, then 7 bits a byte, low first). */
  void putVarLong(long value) {
    ensure(10);
    long v = (value << 1) ^ (value >> 63);
    while ((v & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    bytes[size++] = (byte) v;
  }

  /** A string as its UTF-8 length (two bytes) and bytes; {@code null} as length 0xFFFF. */
  void putString(String value) {
    if (value == null) {
      putShort(NULL_STRING);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    if (utf8.length >= NULL_STRING) {
      throw new IllegalArgumentException("a string of " + utf8.length + " UTF-8 bytes is too long to store");
    }
    putShort(utf8.length);
    putBytes(utf8, 0, utf8.length);
  }

  /** A string of any length, never {@code null}: its UTF-8 length (varint) and bytes. */
  void putText(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    putVarLong(utf8.length);
    putBytes(utf8, 0, utf8.length);
  }
}
