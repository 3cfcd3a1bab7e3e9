package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The incremental-ingest offsets, kept as a small versioned JSON document in the state directory.
 * Saved with write-temp, fsync, atomic rename and a directory fsync, so a crash leaves either the
 * old or the new document. A document that cannot be read is never overwritten.
 */
final class OffsetStore {

  static final String FILE_NAME = "ingest-offsets.json";
  static final int VERSION = 1;

  private static final Logger LOG = LogManager.getLogger(OffsetStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final Path file;

  OffsetStore(Path directory) {
    this.directory = directory;
    this.file = directory.resolve(FILE_NAME);
  }

  Path file() {
    return file;
  }

  /** The marks by file path; empty if no document exists yet. */
  Map<String, FileMark> load() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new TreeMap<>();
    } catch (IOException e) {
      throw new IngestStateException("cannot read ingest state " + file + ": " + e, e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw corrupt("is not valid JSON (" + e.getOriginalMessage() + ")", e);
    } catch (IOException e) {
      throw new IngestStateException("cannot read ingest state " + file + ": " + e, e);
    }
    if (root == null || !root.isObject() || !root.path("version").canConvertToInt()) {
      throw corrupt("has no \"version\" number", null);
    }
    int version = root.get("version").intValue();
    if (version > VERSION) {
      throw new IngestStateException("ingest state " + file + " has version " + version
          + ", written by a newer tokenwatch; this one understands version " + VERSION
          + ". Upgrade tokenwatch, or use another state directory.");
    }
    if (version < 1) {
      throw corrupt("has unknown version " + version, null);
    }
    JsonNode files = root.path("files");
    if (!files.isObject()) {
      throw corrupt("has no \"files\" object", null);
    }
    Map<String, FileMark> marks = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      JsonNode n = entry.getValue();
      for (String field : new String[] {"size", "mtime", "offset", "line", "headLength", "headHash"}) {
        if (!n.path(field).canConvertToLong()) {
          throw corrupt("entry " + entry.getKey() + " has no number \"" + field + '"', null);
        }
      }
      JsonNode key = n.path("fileKey");
      Map<String, String> context = new LinkedHashMap<>();
      JsonNode saved = n.path("context");
      if (!saved.isMissingNode()) {
        if (!saved.isObject()) {
          throw corrupt("entry " + entry.getKey() + " has a \"context\" that is not an object", null);
        }
        for (Iterator<Map.Entry<String, JsonNode>> c = saved.fields(); c.hasNext(); ) {
          Map.Entry<String, JsonNode> value = c.next();
          if (!value.getValue().isTextual()) {
            throw corrupt("entry " + entry.getKey() + " has a context value \"" + value.getKey()
                + "\" that is not a string", null);
          }
          context.put(value.getKey(), value.getValue().textValue());
        }
      }
      marks.put(entry.getKey(), new FileMark(key.isTextual() ? key.textValue() : null, n.get("size").longValue(),
          n.get("mtime").longValue(), n.get("offset").longValue(), n.get("line").longValue(),
          n.get("headLength").intValue(), n.get("headHash").longValue(), context));
    }
    return marks;
  }

  private IngestStateException corrupt(String what, Throwable cause) {
    return new IngestStateException("ingest state " + file + ' ' + what
        + "; it is left untouched. Move it aside to re-read all inputs from the start "
        + "(totals stay exact: records are de-duplicated)", cause);
  }

  /** Replaces the document durably with {@code marks}. */
  void save(Map<String, FileMark> marks) {
    Path temp = null;
    try {
      Files.createDirectories(directory);
      byte[] bytes = document(marks);
      temp = Files.createTempFile(directory, FILE_NAME, ".tmp");
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      temp = null;
      syncDirectory();
    } catch (IOException e) {
      throw new IngestStateException("cannot write ingest state " + file + ": " + e, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          LOG.warn("cannot delete temporary ingest state {}: {}", temp, e.toString());
        }
      }
    }
  }

  /**
   * The document of {@code marks}, written field by field (a first ingest saves thousands of marks:
   * no tree of them is built first); pretty-printed, as {@link ObjectMapper}'s default printer does.
   */
  private static byte[] document(Map<String, FileMark> marks) throws IOException {
    ByteArrayBuilder out = new ByteArrayBuilder(256 + 256 * marks.size());
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeNumberField("version", VERSION);
      g.writeObjectFieldStart("files");
      for (Map.Entry<String, FileMark> entry : marks.entrySet()) {
        FileMark m = entry.getValue();
        g.writeObjectFieldStart(entry.getKey());
        g.writeStringField("fileKey", m.fileKey()); // null as null
        g.writeNumberField("size", m.size());
        g.writeNumberField("mtime", m.mtimeMillis());
        g.writeNumberField("offset", m.offset());
        g.writeNumberField("line", m.line());
        g.writeNumberField("headLength", m.headLength());
        g.writeNumberField("headHash", m.headHash());
        if (!m.context().isEmpty()) {
          g.writeObjectFieldStart("context");
          for (Map.Entry<String, String> value : m.context().entrySet()) {
            g.writeStringField(value.getKey(), value.getValue());
          }
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Makes the rename durable; not every platform can open a directory for syncing. */
  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      LOG.debug("directory {} cannot be synced on this platform: {}", directory, e.toString());
    }
  }

  /**
   * What is known of one input file.
   *
   * @param fileKey the file system's identity of the file (device and inode), null where unavailable
   * @param size its size when the run that saved this mark listed it
   * @param mtimeMillis its modification time then
   * @param offset byte offset after the last complete line applied
   * @param line number of lines before {@code offset}
   * @param headLength how many leading bytes {@code headHash} covers
   * @param headHash hash of the leading bytes, to notice a file replaced by one of the same identity
   * @param context what the lines before {@code offset} said that the lines after it need (the
   *     Codex session and model: {@link SourceContext#saved}); empty for most files
   */
  record FileMark(String fileKey, long size, long mtimeMillis, long offset, long line, int headLength, long headHash,
      Map<String, String> context) {

    FileMark {
      context = Map.copyOf(context);
    }
  }
}
