package dev.tokenwatch.persistence.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The state directory as a whole: creating and checking it, recognising a store of an older format
 * (refused, untouched), starting a new store, and removing what older generations left behind.
 */
final class DirectoryLayout {

  private static final Logger LOG = LogManager.getLogger(DirectoryLayout.class);

  static final String LOCK = "tokenwatch.lock";
  /** Files of the store's own generations (and their temporaries). */
  private static final Pattern GENERATION_FILE =
      Pattern.compile("(journal-\\d+\\.log|events-\\d+\\.dat|ids-\\d+\\.dat|manifest)(\\.tmp)?");
  /** Files only the format before the ledger wrote. */
  private static final Pattern OLD_FORMAT_FILE = Pattern.compile("snapshot\\.json(\\.tmp)?|dedup-\\d+\\.bin(\\.tmp)?");

  private DirectoryLayout() {}

  /** Creates {@code directory} (rwx------) if needed and checks that it is usable. */
  static void prepare(Path directory) {
    if (!Files.exists(directory)) {
      try {
        Files.createDirectories(directory, StoreFiles.directoryAttributes());
      } catch (IOException e) {
        throw new StoreFileException(directory, -1, "cannot create the state directory: " + e, e);
      }
    }
    if (!Files.isDirectory(directory)) {
      throw new StoreFileException(directory, -1, "is not a directory");
    }
    if (!Files.isReadable(directory) || !Files.isWritable(directory) || !Files.isExecutable(directory)) {
      throw new StoreFileException(directory, -1, "is not readable, writable and searchable by this user");
    }
    if (StoreFiles.posix()) {
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
          LOG.warn("{}: the state directory is accessible to other users ({}); consider chmod 700", directory,
              PosixFilePermissions.toString(permissions));
        }
      } catch (IOException e) {
        throw new StoreFileException(directory, -1, "cannot read its permissions: " + e, e);
      }
    }
  }

  /**
   * Makes sure {@code directory} holds a store of this format, starting an empty one in a directory
   * without store files. Refuses (touching nothing) a store of an older format, and generation files
   * without the manifest that names them.
   */
  static void ensureStore(Path directory) throws IOException {
    refuseOldFormat(directory);
    List<String> names = names(directory);
    if (names.contains(Manifest.NAME)) {
      return;
    }
    List<String> generationFiles = names.stream().filter(n -> GENERATION_FILE.matcher(n).matches()).sorted().toList();
    if (!generationFiles.isEmpty() && !isUnfinishedStart(directory, generationFiles)) {
      throw new StoreFileException(directory.resolve(Manifest.NAME), -1, "is missing, but the directory holds"
          + " store files (" + String.join(", ", generationFiles) + ") that only the manifest can vouch for. "
          + StoreFiles.RESTORE);
    }
    create(directory);
  }

  /** Refuses, touching nothing, a directory holding a store of the format before the ledger. */
  static void refuseOldFormat(Path directory) {
    List<String> names = names(directory);
    List<String> old = names.stream().filter(n -> OLD_FORMAT_FILE.matcher(n).matches()).sorted().toList();
    if (!old.isEmpty()) {
      throw new StoreFileException(directory, -1, "holds a usage store of an older format (" + String.join(", ", old)
          + "), which this version of tokenwatch does not read; nothing in it was changed. To keep its usage: run"
          + " `tokenwatch history --json > usage.json` with the tokenwatch version that wrote it, move the"
          + " directory away, then run `tokenwatch ingest --format tokenwatch usage.json` with this version");
    }
  }

  /** Whether the files are what a crash while starting the store leaves: generation 0, nothing journaled. */
  private static boolean isUnfinishedStart(Path directory, List<String> files) throws IOException {
    for (String name : files) {
      if (!name.matches("(journal-0\\.log|events-0\\.dat|ids-0\\.dat|manifest)(\\.tmp)?")) {
        return false;
      }
    }
    // Without journal-0.log the files could also be what is left of a store whose manifest and
    // journal were deleted: refused, since the journal may have held records.
    Path journal = directory.resolve(Manifest.journalName(0));
    return Files.exists(journal) && Files.size(journal) <= Journal.HEADER_BYTES;
  }

  /** Writes generation 0 of a new store: empty files, then the manifest. */
  private static void create(Path directory) throws IOException {
    UUID storeId = UUID.randomUUID();
    EventsFile.Summary[] events = new EventsFile.Summary[1];
    StoreFiles.replaceAtomically(directory.resolve(EventsFile.fileName(0)),
        out -> events[0] = new EventsFile.Writer(out, 0).finish());
    IdIndex.Summary[] ids = new IdIndex.Summary[1];
    StoreFiles.replaceAtomically(directory.resolve(IdIndex.fileName(0)),
        out -> ids[0] = new IdIndex.Writer(out, 0, 0).finish());
    Journal.create(directory.resolve(Manifest.journalName(0)), 0, storeId, new BinaryOut(0));
    Manifest manifest = Manifest.of(storeId.toString(), 0, 0, null, events[0], ids[0], List.of());
    StoreFiles.replaceAtomically(directory.resolve(Manifest.NAME), manifest::write);
  }

  /**
   * Deletes every generation file the current manifest does not name: what older generations (or a
   * compaction cut short) left. Called after each successful compaction.
   */
  static void deleteOthers(Path directory, Manifest manifest) {
    List<String> keep = new ArrayList<>(manifest.fileNames());
    keep.add(Manifest.NAME);
    try {
      for (String name : names(directory)) {
        if (GENERATION_FILE.matcher(name).matches() && !keep.contains(name)) {
          Files.deleteIfExists(directory.resolve(name));
        }
      }
    } catch (IOException e) {
      throw new StoreFileException(directory, -1, "cannot delete the files of an older generation: " + e, e);
    }
  }

  private static List<String> names(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new StoreFileException(directory, -1, "cannot list the directory: " + e, e);
    }
  }
}
