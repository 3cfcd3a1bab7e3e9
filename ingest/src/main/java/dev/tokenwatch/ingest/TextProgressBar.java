package dev.tokenwatch.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * A one-line progress bar for a terminal, redrawn in place with a carriage return at most every
 * 100 ms: {@code [#########           ]  45%  123.4 / 270.0 MB  98.1 MB/s  ETA 0:02}. Use it only
 * when the output is a terminal; without a known total it shows the bytes read and the rate.
 *
 * <p>Drawn on a stream made by {@link #sharedLine(PrintStream)}, anything else written there (an
 * alert, a warning) first clears the bar, so it starts on a line of its own; the bar is drawn again
 * at the next progress.
 */
public final class TextProgressBar implements IngestProgressListener {

  private static final long MIN_REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream out;
  /** The line {@code out} shares with other writers, or null when it is a plain stream. */
  private final SharedLine shared;
  private final long startNanos = System.nanoTime();
  private long lastDrawNanos;
  private int lastLength;
  private boolean drawn;

  /** A bar drawn on {@code out} (typically {@code System.err}, or a {@link #sharedLine} of it). */
  public TextProgressBar(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
    this.shared = out instanceof SharedStream stream ? stream.line : null;
  }

  /**
   * {@code terminal} as a stream a bar can share with other writers: text written to it while a
   * bar drawn on it is on the screen starts on a line of its own. Writes pass through unchanged
   * (as UTF-8) otherwise.
   */
  public static PrintStream sharedLine(PrintStream terminal) {
    return terminal instanceof SharedStream ? terminal : new SharedStream(terminal);
  }

  @Override
  public void progress(long bytesDone, long bytesTotal) {
    long now = System.nanoTime();
    if (drawn && now - lastDrawNanos < MIN_REDRAW_NANOS && (shared == null || shared.barShown())) {
      return;
    }
    lastDrawNanos = now;
    draw(render(bytesDone, bytesTotal, now - startNanos));
  }

  @Override
  public void finished(IngestSummary summary) {
    if (drawn) {
      draw(render(summary.bytes(), summary.bytes(), System.nanoTime() - startNanos));
      synchronized (out) {
        if (shared != null) {
          shared.lineEnded();
        }
        out.println();
        out.flush();
      }
    }
  }

  /** The bar's text for the given progress and elapsed time. */
  static String render(long done, long total, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos, 1) / 1e9;
    double bytesPerSecond = done / seconds;
    String rate = String.format(Locale.ROOT, "%.1f MB/s", bytesPerSecond / 1e6);
    if (total <= 0) {
      return String.format(Locale.ROOT, "%.1f MB  %s", done / 1e6, rate);
    }
    double share = Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(share * WIDTH);
    String eta = done > 0 && done < total ? "  ETA " + clock(Math.round((total - done) / bytesPerSecond)) : "";
    return String.format(Locale.ROOT, "[%s%s] %3d%%  %.1f / %.1f MB  %s%s", "#".repeat(filled),
        " ".repeat(WIDTH - filled), (int) Math.floor(share * 100), done / 1e6, total / 1e6, rate, eta);
  }

  /** "0:07", "12:34" or "1:02:03". */
  static String clock(long seconds) {
    long s = Math.max(0, seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  private void draw(String text) {
    // under the stream's lock, so no other writer's line is split by a redraw
    synchronized (out) {
      // pad over the previous, possibly longer, text unless someone else's output cleared it
      boolean onScreen = shared == null || shared.barShown();
      String padded = onScreen && text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
      if (shared != null) {
        shared.drawing();
      }
      out.print('\r');
      out.print(padded);
      out.flush();
      if (shared != null) {
        shared.barDrawn(text.length());
      }
    }
    lastLength = text.length();
    drawn = true;
  }

  /** A stream whose line a bar shares: see {@link #sharedLine}. */
  private static final class SharedStream extends PrintStream {
    final SharedLine line;
    private final PrintStream terminal;

    SharedStream(PrintStream terminal) {
      this(new SharedLine(terminal), terminal);
    }

    private SharedStream(SharedLine line, PrintStream terminal) {
      super(line, true, StandardCharsets.UTF_8);
      this.line = line;
      this.terminal = terminal;
    }

    @Override
    public boolean checkError() {
      return super.checkError() | terminal.checkError();
    }
  }

  /**
   * The bytes of a shared stream on their way to the terminal: the first byte another writer sends
   * while the bar is shown is preceded by what clears the bar's line.
   */
  private static final class SharedLine extends OutputStream {
    private final PrintStream terminal;
    private boolean drawing;
    private int shownLength;

    SharedLine(PrintStream terminal) {
      this.terminal = Objects.requireNonNull(terminal, "terminal");
    }

    synchronized boolean barShown() {
      return shownLength > 0;
    }

    /** Called by the bar before it draws: the bytes until {@link #barDrawn} are its own. */
    synchronized void drawing() {
      drawing = true;
    }

    /** Called by the bar after drawing {@code length} characters at the start of the line. */
    synchronized void barDrawn(int length) {
      drawing = false;
      shownLength = length;
    }

    /** Called by the bar before it ends its line itself. */
    synchronized void lineEnded() {
      shownLength = 0;
    }

    @Override
    public synchronized void write(int b) {
      clearBar();
      terminal.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      if (length > 0) {
        clearBar();
      }
      terminal.write(bytes, offset, length);
    }

    @Override
    public synchronized void flush() {
      terminal.flush();
    }

    private void clearBar() {
      if (shownLength > 0 && !drawing) {
        terminal.print('\r' + " ".repeat(shownLength) + '\r');
        shownLength = 0;
      }
    }

    @Override
    public void close() throws IOException {
      terminal.flush();
    }
  }
}
