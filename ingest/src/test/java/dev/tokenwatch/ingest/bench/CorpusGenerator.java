package dev.tokenwatch.ingest.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a deterministic corpus (fixed seed) of Claude Code session logs: user turns, tool results
 * and assistant turns with text content of a chosen size, each assistant message written on several
 * lines whose usage grows until the last (as Claude Code writes one line per content block). It
 * computes, independently of the ingest code, the total the corpus must add up to: per message the
 * total of its final (largest) line.
 */
public final class CorpusGenerator {

  private static final String[] MODELS = {"claude-sonnet-4-20250514", "claude-opus-4-20250514", "claude-3-5-haiku-20241022"};
  private static final Instant END = Instant.parse("2025-06-14T00:00:00Z");

  /**
   * The generated corpus.
   *
   * @param files the session files, sorted
   * @param lines lines written
   * @param bytes bytes written
   * @param messages distinct assistant messages
   * @param expectedTotal sum over messages of the largest total among its lines
   */
  public record Corpus(List<Path> files, long lines, long bytes, long messages, long expectedTotal) {}

  private final SplittableRandom random;
  private final String text;
  private final int minContent;
  private final int maxContent;
  private final boolean fullEnvelope;
  private final int maxRepeats;

  /**
   * @param seed the random seed: the same seed gives the same bytes
   * @param minContent smallest text content of a line, in characters
   * @param maxContent largest text content of a line
   * @param fullEnvelope whether lines carry Claude Code's full envelope (cwd, version, git branch...)
   * @param maxRepeats most lines one assistant message is written on (at least 1)
   */
  public CorpusGenerator(long seed, int minContent, int maxContent, boolean fullEnvelope, int maxRepeats) {
    this.maxRepeats = maxRepeats;
    this.random = new SplittableRandom(seed);
    this.minContent = minContent;
    this.maxContent = maxContent;
    this.fullEnvelope = fullEnvelope;
    StringBuilder sb = new StringBuilder(1 << 16);
    String words = "the a build test parser token budget alert file stream buffer line offset json value "
        + "model cache read write usage period month week day error fix code class method return ";
    String[] w = words.split(" ");
    while (sb.length() < (1 << 16)) {
      sb.append(w[random.nextInt(w.length)]);
      int r = random.nextInt(40);
      sb.append(r == 0 ? "\\n" : r == 1 ? "\\\"" : r == 2 ? "\\t" : " ");
    }
    this.text = sb.toString();
  }

  /** Writes {@code files} session files of about {@code linesPerFile} lines each into {@code dir}. */
  public Corpus generate(Path dir, int files, long linesPerFile) throws IOException {
    Files.createDirectories(dir);
    List<Path> paths = new ArrayList<>();
    long lines = 0;
    long bytes = 0;
    long messages = 0;
    long expected = 0;
    for (int f = 0; f < files; f++) {
      Path path = dir.resolve(String.format("project-%02d/session-%04d.jsonl", f % 4, f));
      Files.createDirectories(path.getParent());
      paths.add(path);
      try (CountingWriter out = new CountingWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8))) {
        long fileLines = 0;
        long msg = 0;
        Instant time = END.minusSeconds(86_400L * 60).plusSeconds(f * 3_600L);
        while (fileLines < linesPerFile) {
          time = time.plusMillis(500 + random.nextInt(20_000));
          writeUser(out, content(), time, f, msg);
          fileLines++;
          String id = "msg_" + Long.toString(f, 36) + "x" + Long.toString(msg, 36);
          String requestId = "req_" + Long.toString(f * 7919L + msg, 36);
          String model = MODELS[random.nextInt(MODELS.length)];
          long in = random.nextInt(10);
          long cacheCreate = random.nextInt(4) == 0 ? random.nextInt(20_000) : 0;
          long cacheRead = random.nextInt(60_000);
          long output = 10 + random.nextInt(2_000);
          int repeats = 1 + random.nextInt(maxRepeats);
          for (int r = 1; r <= repeats; r++) {
            long partialOut = r == repeats ? output : output * r / (repeats + 1); // usage completes on the last line
            writeAssistant(out, id, requestId, model, in, partialOut, cacheCreate, cacheRead, content(), time, f);
            fileLines++;
          }
          expected += in + output + cacheCreate + cacheRead;
          messages++;
          if (random.nextInt(2) == 0) {
            writeToolResult(out, content(), time, f);
            fileLines++;
          }
          msg++;
        }
        lines += fileLines;
        bytes += out.count;
      }
    }
    return new Corpus(paths, lines, bytes, messages, expected);
  }

  private String content() {
    int len = minContent + random.nextInt(maxContent - minContent + 1);
    int start = random.nextInt(text.length() - len - 2);
    String s = text.substring(start, start + len);
    if (s.endsWith("\\")) {
      s = s.substring(0, s.length() - 1); // never cut an escape in half
    }
    return s.startsWith("\"") ? s.substring(1) : s; // the quote of a cut-off escape
  }

  private void envelope(Writer out, int file, Instant time) throws IOException {
    if (fullEnvelope) {
      out.write("\"parentUuid\":\"2f1c6a4e-0b1d-4c53-9a8e-" + String.format("%012d", file)
          + "\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/dev/projects/tokenwatch\","
          + "\"sessionId\":\"9d6a3f7e-" + String.format("%04d", file) + "\",\"version\":\"1.0.51\","
          + "\"gitBranch\":\"main\",");
    }
  }

  private void writeUser(Writer out, String content, Instant time, int file, long msg) throws IOException {
    out.write('{');
    envelope(out, file, time);
    out.write("\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"");
    out.write(content);
    out.write("\"},\"uuid\":\"u" + msg + "\",\"timestamp\":\"" + time + "\"}\n");
  }

  private void writeToolResult(Writer out, String content, Instant time, int file) throws IOException {
    out.write('{');
    envelope(out, file, time);
    out.write("\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":\"toolu_01\","
        + "\"type\":\"tool_result\",\"content\":\"");
    out.write(content);
    out.write("\",\"is_error\":false}]},\"toolUseResult\":{\"stdout\":\"ok\",\"stderr\":\"\",\"interrupted\":false},"
        + "\"timestamp\":\"" + time + "\"}\n");
  }

  private void writeAssistant(Writer out, String id, String requestId, String model, long in, long output,
      long cacheCreate, long cacheRead, String content, Instant time, int file) throws IOException {
    out.write('{');
    envelope(out, file, time);
    out.write("\"type\":\"assistant\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"" + model + "\",\"content\":[{\"type\":\"text\",\"text\":\"");
    out.write(content);
    out.write("\"}],\"stop_reason\":null,\"usage\":{\"input_tokens\":" + in + ",\"cache_creation_input_tokens\":"
        + cacheCreate + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":" + output
        + ",\"service_tier\":\"standard\"}},\"requestId\":\"" + requestId + "\",\"timestamp\":\"" + time + "\"}\n");
  }

  /** Counts the characters written (the corpus is ASCII, so characters are bytes). */
  private static final class CountingWriter extends Writer {
    private final BufferedWriter out;
    long count;

    CountingWriter(BufferedWriter out) {
      this.out = out;
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      out.write(buf, off, len);
      count += len;
    }

    @Override
    public void write(String s) throws IOException {
      out.write(s);
      count += s.length();
    }

    @Override
    public void write(int c) throws IOException {
      out.write(c);
      count++;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
