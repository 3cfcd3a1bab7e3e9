package dev.tokenwatch.persistence.jdbc;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The files of an H2 file database, for their owner only where the file system has POSIX
 * permissions: the directory is created {@code rwx------}, and the database and trace files are
 * created {@code rw-------} before H2 opens them (H2 keeps the permissions of a file it finds) or
 * narrowed to that if an earlier version left them open to others.
 */
final class H2Files {

  private static final Logger LOG = LogManager.getLogger(H2Files.class);

  /** The files H2 keeps next to {@code <name>}: data, trace, and the lock file of older versions (AUTO_SERVER). */
  static final List<String> SUFFIXES = List.of(".mv.db", ".trace.db", ".lock.db", H2ProcessLock.SUFFIX);
  private static final List<String> CREATED = List.of(".mv.db", ".trace.db");

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private H2Files() {}

  /** Creates the directory and the database's files for the owner only, before H2 opens them. */
  static void prepare(Path database) {
    Path directory = database.getParent();
    try {
      if (!Files.isDirectory(directory)) {
        if (POSIX) {
          Files.createDirectories(directory, attribute(OWNER_DIRECTORY));
        } else {
          Files.createDirectories(directory);
        }
      } else if (POSIX) {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
          LOG.warn("{}: the directory of the H2 database is accessible to other users ({}); its files are kept "
              + "rw------- but consider chmod 700", directory, PosixFilePermissions.toString(permissions));
        }
      }
      if (!POSIX) {
        return;
      }
      for (String suffix : CREATED) {
        Path file = file(database, suffix);
        try {
          Files.createFile(file, attribute(OWNER_FILE));
        } catch (FileAlreadyExistsException exists) {
          narrow(file);
        }
      }
      narrow(file(database, ".lock.db"));
    } catch (IOException e) {
      throw new JdbcUsageStoreException("cannot prepare the H2 database files " + database + ".*: " + e, e);
    }
  }

  /** Narrows whatever H2 created meanwhile (a trace file rolled over to {@code .trace.db.old}). */
  static void restrict(Path database) {
    if (!POSIX) {
      return;
    }
    try {
      for (String suffix : SUFFIXES) {
        narrow(file(database, suffix));
      }
      narrow(file(database, ".trace.db.old"));
    } catch (IOException e) {
      throw new JdbcUsageStoreException("cannot restrict the permissions of the H2 database files " + database
          + ".*: " + e, e);
    }
  }

  /** The attributes that create a file rw------- (none where the file system has no POSIX permissions). */
  static FileAttribute<?>[] ownerOnlyFile() {
    return POSIX ? new FileAttribute<?>[] {attribute(OWNER_FILE)} : new FileAttribute<?>[0];
  }

  static Path file(Path database, String suffix) {
    return database.resolveSibling(database.getFileName() + suffix);
  }

  private static void narrow(Path file) throws IOException {
    if (Files.isRegularFile(file) && !Files.getPosixFilePermissions(file).equals(OWNER_FILE)) {
      Files.setPosixFilePermissions(file, OWNER_FILE);
    }
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
