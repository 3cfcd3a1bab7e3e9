package dev.tokenwatch.persistence.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;

/** File-system helpers: private permissions, atomic replacement, directory fsync, checked reads. */
final class StoreFiles {

  /** What to do about a damaged or missing file, appended to the messages. */
  static final String RESTORE = "The store left every file as it is; restore the directory from a backup";

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final boolean WINDOWS =
      System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

  private StoreFiles() {}

  static boolean posix() {
    return POSIX;
  }

  /** rw------- where POSIX permissions exist, nothing otherwise. */
  static FileAttribute<?>[] fileAttributes() {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  /** rwx------ where POSIX permissions exist, nothing otherwise. */
  static FileAttribute<?>[] directoryAttributes() {
    return POSIX
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
        : new FileAttribute<?>[0];
  }

  /** Writes content to a file. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Replaces {@code target} atomically: writes {@code target.tmp}, forces it, renames it over
   * {@code target} with {@code ATOMIC_MOVE} and forces the directory, so after a crash the target
   * is either the old or the new file, complete. Returns the new file's size.
   */
  static long replaceAtomically(Path target, Content content) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    long size;
    try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING), fileAttributes())) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      content.writeTo(out);
      out.flush();
      channel.force(true);
      size = channel.size();
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    forceDirectory(target.getParent());
    return size;
  }

  /**
   * Forces a directory's entries (a rename, a new file) to disk. Windows cannot open a directory as
   * a channel and throws {@link AccessDeniedException}; NTFS journals metadata itself, so there, and
   * only there, that exception is ignored.
   */
  static void forceDirectory(Path directory) throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(directory, StandardOpenOption.READ);
    } catch (AccessDeniedException e) {
      if (WINDOWS) {
        return;
      }
      throw e;
    }
    try (channel) {
      channel.force(true);
    }
  }

  /**
   * Opens {@code path} for reading.
   *
   * @throws StoreFileException naming the file if it is missing ({@code why} says why it must exist)
   */
  static FileChannel openForReading(Path path, String why) {
    try {
      return FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new StoreFileException(path, -1, "is missing; " + why + ". " + RESTORE, e);
    } catch (IOException e) {
      throw new StoreFileException(path, -1, "cannot be opened: " + e, e);
    }
  }

  /**
   * The size of a file the manifest names, checked against the size the manifest gives it.
   *
   * @throws StoreFileException naming the file if the sizes differ
   */
  static long sizeAsInManifest(FileChannel channel, Path path, long expectedBytes) throws IOException {
    long size = channel.size();
    if (size != expectedBytes) {
      throw new StoreFileException(path, -1, "has " + size + " bytes, but the manifest says " + expectedBytes
          + "; it was changed outside tokenwatch. " + RESTORE);
    }
    return size;
  }

  /** Reads {@code length} bytes at {@code at}, flipped for reading. */
  static ByteBuffer read(FileChannel channel, Path path, long at, int length) {
    if (at < 0 || length < 0) {
      throw new StoreFileException(path, at, "is too short (" + length + " bytes wanted). " + RESTORE);
    }
    ByteBuffer buffer = ByteBuffer.allocate(length);
    readFully(channel, path, buffer, at);
    return buffer;
  }

  /** Fills {@code target} from {@code at} and flips it. */
  static void readFully(FileChannel channel, Path path, ByteBuffer target, long at) {
    long from = at;
    try {
      while (target.hasRemaining()) {
        int n = channel.read(target, from);
        if (n < 0) {
          throw new StoreFileException(path, from, "ends early. " + RESTORE);
        }
        from += n;
      }
    } catch (IOException e) {
      throw new StoreFileException(path, at, "cannot be read: " + e, e);
    }
    target.flip();
  }

  /**
   * Checks a 24-byte header: magic (8 bytes), version (from {@code oldest} to {@code version}), 0,
   * generation; returns the version found.
   */
  static int checkHeader(Path path, ByteBuffer header, byte[] magic, int oldest, int version, long generation) {
    byte[] found = new byte[magic.length];
    header.get(found);
    if (!java.util.Arrays.equals(found, magic)) {
      throw new StoreFileException(path, 0, "is not the tokenwatch file its name says. " + RESTORE);
    }
    int foundVersion = header.getInt();
    if (foundVersion < oldest || foundVersion > version) {
      throw new StoreFileException(path, 8, "has version " + foundVersion + "; this tokenwatch reads versions "
          + oldest + " to " + version + ". " + RESTORE);
    }
    header.getInt();
    long foundGeneration = header.getLong();
    if (foundGeneration != generation) {
      throw new StoreFileException(path, 16, "says it is generation " + foundGeneration + ", but the manifest"
          + " names it for generation " + generation + ". " + RESTORE);
    }
    return foundVersion;
  }

  /** Closes {@code channel} after {@code failure}, adding any problem closing it to that failure. */
  static void closeQuietly(java.io.Closeable channel, Exception failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
