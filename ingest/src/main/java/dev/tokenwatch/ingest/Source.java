package dev.tokenwatch.ingest;

import java.nio.file.Path;

/**
 * One input of a pass: a file with what the scan saw of it and where reading starts, or standard
 * input. The reader sets the head fingerprint before handing over its first chunk.
 */
final class Source {

  static final String STDIN = "-";

  /** The key in the offsets document and the name in messages: the absolute path, or "-". */
  final String name;
  final Path path;
  final String fileKey;
  final long size;
  final long mtimeMillis;
  /** Where the mark says to resume; the reader may restart at 0 if the head changed. */
  final long resumeOffset;
  final long resumeLine;
  final OffsetStore.FileMark previous;
  volatile int headLength;
  volatile long headHash;

  Source(String name, Path path, String fileKey, long size, long mtimeMillis, long resumeOffset, long resumeLine,
      OffsetStore.FileMark previous) {
    this.name = name;
    this.path = path;
    this.fileKey = fileKey;
    this.size = size;
    this.mtimeMillis = mtimeMillis;
    this.resumeOffset = resumeOffset;
    this.resumeLine = resumeLine;
    this.previous = previous;
  }

  static Source stdin() {
    return new Source(STDIN, null, null, -1, 0, 0, 0, null);
  }

  boolean isStdin() {
    return path == null;
  }

  /** Bytes this pass expects to read; unknown (0) for standard input. */
  long pendingBytes() {
    return isStdin() ? 0 : Math.max(0, size - resumeOffset);
  }
}
