package dev.tokenwatch.app.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Creates the audit log's files (0600) and directory (0700) for their owner only, where the file system has POSIX permissions. */
final class OwnerOnlyFiles {

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final FileAttribute<?>[] FILE = POSIX
      ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
      : new FileAttribute<?>[0];
  private static final FileAttribute<?>[] DIRECTORY = POSIX
      ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
      : new FileAttribute<?>[0];

  private OwnerOnlyFiles() {}

  /** Opens {@code path} for reading and writing, creating it (0600) if missing. */
  static FileChannel open(Path path) throws IOException {
    return FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
        FILE);
  }

  /** Opens {@code path} for appending (every write lands at the end), creating it (0600) if missing. */
  static FileChannel openForAppend(Path path) throws IOException {
    return FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND), FILE);
  }

  /** Creates {@code directory} (0700) and its missing parents. */
  static void createDirectories(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, DIRECTORY);
    }
  }
}
