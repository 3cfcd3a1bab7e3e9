package dev.tokenwatch.persistence.file;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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

/** File-system helpers: private permissions, atomic replacement, directory fsync. */
final class StoreFiles {

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
}
