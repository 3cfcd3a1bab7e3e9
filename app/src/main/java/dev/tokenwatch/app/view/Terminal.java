package dev.tokenwatch.app.view;

import dev.tokenwatch.app.env.AppEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What text output may use: how many columns wide a line may be, and whether block characters show.
 *
 * <p>The width, as {@code ls} and {@code git} find it: {@code COLUMNS} when set to a positive
 * number; else, when stdout is a terminal, the terminal's own width ({@code stty size} on {@code
 * /dev/tty}: a few milliseconds, only then, never blocking: no controlling terminal means no answer),
 * or 80 when that cannot be read; else (piped or redirected) no limit, so a file or a script gets
 * every column with exact numbers.
 *
 * @param width the columns a line may use; {@link #UNLIMITED} for no limit
 * @param unicode whether block characters may be drawn: the locale's charset is UTF-8
 */
public record Terminal(int width, boolean unicode) {

  /** The width of a stream that is no terminal: lines are not cut. */
  public static final int UNLIMITED = Integer.MAX_VALUE;
  /** The width of a terminal whose width cannot be read. */
  public static final int DEFAULT_WIDTH = 80;

  /** The terminal of {@code env}, asking the real terminal for its width. */
  public static Terminal of(AppEnvironment env) {
    return of(env, Terminal::ttyColumns);
  }

  /** The terminal of {@code env}, asking {@code probe} for the width of a terminal on stdout. */
  public static Terminal of(AppEnvironment env, Supplier<OptionalInt> probe) {
    return new Terminal(width(env, probe), unicode(env));
  }

  private static int width(AppEnvironment env, Supplier<OptionalInt> probe) {
    OptionalInt columns = env.variable("COLUMNS").map(Terminal::positive).orElse(OptionalInt.empty());
    if (columns.isPresent()) {
      return columns.getAsInt();
    }
    if (!env.stdoutIsTerminal()) {
      return UNLIMITED;
    }
    return probe.get().orElse(DEFAULT_WIDTH);
  }

  /**
   * Whether the locale's charset is UTF-8: the first of {@code LC_ALL}, {@code LC_CTYPE} and {@code
   * LANG} that is set (POSIX's order) names it ({@code en_US.UTF-8}, {@code C.utf8}); none set is the C
   * locale, ASCII.
   */
  public static boolean unicode(AppEnvironment env) {
    for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
      var value = env.variable(name);
      if (value.isPresent()) {
        String locale = value.get().toLowerCase(Locale.ROOT).replace("-", "");
        return locale.contains("utf8");
      }
    }
    return false;
  }

  /**
   * {@code text} as this terminal shows it: unchanged when block characters show, else with the
   * marks the text views draw (bars, rules, dashes, ellipses) in ASCII of the same width, so columns
   * stay aligned. Only for text views: JSON and CSV carry names as they are.
   */
  public String shown(String text) {
    return unicode ? text : ascii(text);
  }

  /** The text views' marks in ASCII: a block as {@code #}, a shade {@code .}, a rule {@code |}, a dash {@code -}. */
  static String ascii(String text) {
    StringBuilder s = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      char plain = switch (c) {
        case '█', '▏', '▎', '▍', '▌', '▋', '▊', '▉' -> '#';
        case '░' -> '.';
        case '│' -> '|';
        case '—', '–' -> '-';
        case '…' -> '~';
        case '·' -> '|';
        default -> c;
      };
      if (plain != c && s == null) {
        s = new StringBuilder(text.length()).append(text, 0, i);
      }
      if (s != null) {
        s.append(plain);
      }
    }
    return s == null ? text : s.toString();
  }

  /** "120" as 120; anything else (empty, 0, "wide") as absent. */
  static OptionalInt positive(String text) {
    try {
      int value = Integer.parseInt(text.trim());
      return value > 0 ? OptionalInt.of(value) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** The columns of {@code stty size}'s "ROWS COLUMNS", if that is what it printed. */
  public static OptionalInt parseSttySize(String output) {
    String[] parts = output.trim().split("\\s+");
    // the rows may be 0 (a pseudo-terminal given only its columns); the columns must be positive
    return parts.length == 2 && parts[0].matches("[0-9]{1,9}") ? positive(parts[1]) : OptionalInt.empty();
  }

  /**
   * The width of the controlling terminal: {@code stty size} with {@code /dev/tty} as its stdin.
   * Empty without one (opening {@code /dev/tty} fails at once), without {@code stty}, or after a second.
   */
  public static OptionalInt ttyColumns() {
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return OptionalInt.empty();
    }
    Process process = null;
    try {
      process = new ProcessBuilder("stty", "size").redirectInput(tty)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      process.getOutputStream().close();
      if (!process.waitFor(1, TimeUnit.SECONDS) || process.exitValue() != 0) {
        return OptionalInt.empty();
      }
      return parseSttySize(new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
    } catch (IOException | SecurityException e) {
      return OptionalInt.empty(); // no controlling terminal, or no stty: the default width
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
    }
  }
}
