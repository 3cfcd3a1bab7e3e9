package dev.tokenwatch.ingest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;

/**
 * A one-line progress bar for a terminal, redrawn in place with a carriage return at most every
 * 100 ms: {@code [#########           ]  45%  123.4 / 270.0 MB  98.1 MB/s}. Use it only when the
 * output is a terminal; without a known total it shows the bytes read and the rate.
 */
public final class TextProgressBar implements IngestProgressListener {

  private static final long MIN_REDRAW_NANOS = 100_000_000L;
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final long startNanos = System.nanoTime();
  private long lastDrawNanos;
  private int lastLength;
  private boolean drawn;

  /** A bar drawn on {@code out} (typically {@code System.err}). */
  public TextProgressBar(PrintStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void progress(long bytesDone, long bytesTotal) {
    long now = System.nanoTime();
    if (drawn && now - lastDrawNanos < MIN_REDRAW_NANOS) {
      return;
    }
    lastDrawNanos = now;
    draw(render(bytesDone, bytesTotal, now - startNanos));
  }

  @Override
  public void finished(IngestSummary summary) {
    if (drawn) {
      draw(render(summary.bytes(), summary.bytes(), System.nanoTime() - startNanos));
      out.println();
      out.flush();
    }
  }

  /** The bar's text for the given progress and elapsed time. */
  static String render(long done, long total, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos, 1) / 1e9;
    String rate = String.format(Locale.ROOT, "%.1f MB/s", done / 1e6 / seconds);
    if (total <= 0) {
      return String.format(Locale.ROOT, "%.1f MB  %s", done / 1e6, rate);
    }
    double share = Math.min(1.0, (double) done / total);
    int filled = (int) Math.round(share * WIDTH);
    return String.format(Locale.ROOT, "[%s%s] %3d%%  %.1f / %.1f MB  %s", "#".repeat(filled),
        " ".repeat(WIDTH - filled), (int) Math.floor(share * 100), done / 1e6, total / 1e6, rate);
  }

  private void draw(String text) {
    // pad over the previous, possibly longer, text
    String padded = text.length() < lastLength ? text + " ".repeat(lastLength - text.length()) : text;
    out.print('\r');
    out.print(padded);
    out.flush();
    lastLength = text.length();
    drawn = true;
  }
}
