package dev.tokenwatch.notifier.console;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import dev.tokenwatch.domain.BudgetUnit;
import dev.tokenwatch.domain.port.AlertSink;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Writes each alert as one line to a {@link PrintStream}, for example
 *
 * <pre>⚠ WARNING  token budget 'default' at 72.4% — 724,100 of 1,000,000 tokens — $3.12 (monthly, resets 2026-12-01 00:00 UTC)</pre>
 *
 * <p>or, for a budget in US dollars with a scope and calls without a price,
 *
 * <pre>⚠ WARNING  budget 'opus' (model claude-opus-*) at 75.0% — $187.40 of $250.00 — 48,000,000 tokens; 3 unpriced calls (1,200 tokens) not counted (monthly, resets 2026-12-01 00:00 UTC)</pre>
 *
 * <p>On a terminal the line is coloured by severity (INFO cyan, WARNING yellow, CRITICAL bold red);
 * without a terminal, or when {@code NO_COLOR} is set to a non-empty value, no escape codes are
 * written. When the stream's charset cannot encode the symbols, a plain ASCII line is written
 * instead ({@code ! WARNING  token budget 'default' at 72.4% - ...}).
 *
 * <p>{@link #deliver} never throws because of the stream: a failing stream is reported once through
 * Log4j2 and further failures are ignored, so a closed stderr cannot break token tracking. Safe for
 * concurrent use; each alert is written with a single {@code println}.
 *
 * <p>Use {@link #forStderr()} in an application, or {@link #builder(PrintStream)} to choose the
 * stream, colour and charset yourself.
 */
public final class ConsoleAlertSink implements AlertSink {

  private static final Logger LOG = LogManager.getLogger(ConsoleAlertSink.class);

  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final boolean colour;
  private final boolean unicode;
  private final AtomicBoolean failureReported = new AtomicBoolean();

  private ConsoleAlertSink(PrintStream out, boolean colour, Charset charset) {
    this.out = out;
    this.colour = colour;
    this.unicode = canEncodeSymbols(charset);
  }

  /**
   * A sink writing to {@code System.err}: colour when the JVM has a console and {@code NO_COLOR} is
   * unset or empty; the charset from {@link #stderrCharset()}.
   */
  public static ConsoleAlertSink forStderr() {
    return builder(System.err)
        .colour(colourWanted(System.console() != null, System::getenv))
        .charset(stderrCharset())
        .build();
  }

  /** A builder writing to {@code out}; by default without colour and in {@link #stderrCharset()}. */
  public static Builder builder(PrintStream out) {
    return new Builder(out);
  }

  /**
   * Whether to colour output: only on a terminal, and not when the environment variable {@code
   * NO_COLOR} is set to a non-empty value (https://no-color.org).
   *
   * @param terminal whether the stream is attached to a terminal
   * @param environment looks up an environment variable, returning null when unset
   */
  public static boolean colourWanted(boolean terminal, Function<String, String> environment) {
    String noColor = environment.apply("NO_COLOR");
    return terminal && (noColor == null || noColor.isEmpty());
  }

  /**
   * The charset {@code System.err} encodes with: the {@code stderr.encoding} property (Java 19+),
   * else {@code sun.stderr.encoding} (set on Java 17 when stderr is a console), else the default
   * charset. An unknown or unsupported name is skipped.
   */
  public static Charset stderrCharset() {
    for (String property : new String[] {"stderr.encoding", "sun.stderr.encoding"}) {
      String name = System.getProperty(property);
      if (name != null && !name.isBlank()) {
        try {
          return Charset.forName(name.trim());
        } catch (IllegalArgumentException e) {
          LOG.debug("Ignoring system property {}={}: {}", property, name, e.toString());
        }
      }
    }
    return Charset.defaultCharset();
  }

  /** Writes {@code alert} as one line; problems with the stream are logged once, never thrown. */
  /** "console": alerts another process left for its console are shown on this one's. */
  @Override
  public String name() {
    return "console";
  }

  @Override
  public void deliver(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    try {
      out.println(format(alert));
      if (out.checkError()) {
        reportFailure(alert, null);
      }
    } catch (RuntimeException e) {
      reportFailure(alert, e);
    }
  }

  /** Writes {@code alert} and says whether the stream took it: empty when it did. */
  @Override
  public Optional<String> deliverNow(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    out.println(format(alert));
    return out.checkError() ? Optional.of("the console stream reported an error (closed or full?)")
        : Optional.empty();
  }

  /** The line {@link #deliver} writes for {@code alert}, without the line separator. */
  String format(Alert alert) {
    String dash = unicode ? " — " : " - ";
    String line = (unicode ? symbol(alert.level()) : asciiSymbol(alert.level())) + ' '
        + padded(alert.level()) + ' ' + label(alert) + ' ' + alert.state()
        + dash + figures(alert, dash) + " ("
        + alert.period().label() + ", resets " + Alert.formatPeriodEnd(alert.periodEnd()) + ')';
    return colour ? ansi(alert.level()) + line + RESET : line;
  }

  /** "token budget 'default'", or "budget 'opus' (model claude-opus-*)" for a USD budget with a scope. */
  private static String label(Alert alert) {
    String label = (alert.unit() == BudgetUnit.USD ? "budget '" : "token budget '") + printable(alert.budgetName())
        + '\'';
    return alert.scope().isAny() ? label : label + " (" + printable(alert.scope().toString()) + ')';
  }

  /**
   * "$187.40 of $250.00 — 48,000,000 tokens; 3 unpriced calls (1,200 tokens) not counted", or
   * "724,100 of 1,000,000 tokens — $3.12" ({@link Alert#figures()}).
   */
  private static String figures(Alert alert, String dash) {
    Alert.Figures figures = alert.figures();
    return figures.usedOfLimit() + (figures.beside().isEmpty() ? "" : dash + figures.beside())
        + (figures.unpriced().isEmpty() ? "" : "; " + figures.unpriced());
  }

  private void reportFailure(Alert alert, RuntimeException cause) {
    if (failureReported.compareAndSet(false, true)) {
      String text = "Cannot write alerts to the console stream; this and later console alerts are lost"
          + " (other sinks are unaffected). First lost alert: " + alert.level() + " budget '"
          + printable(alert.budgetName()) + "' at " + Alert.formatPercent(alert.percentage());
      if (cause == null) {
        LOG.error("{} (the stream reported an I/O error)", text);
      } else {
        LOG.error(text, cause);
      }
    }
  }

  private static String symbol(AlertLevel level) {
    return switch (level) {
      case INFO -> "ℹ";
      case WARNING -> "⚠";
      case CRITICAL -> "✖";
    };
  }

  /** The level name padded to the longest one, so messages line up. */
  private static String padded(AlertLevel level) {
    return switch (level) {
      case INFO -> "INFO    ";
      case WARNING -> "WARNING ";
      case CRITICAL -> "CRITICAL";
    };
  }

  private static String asciiSymbol(AlertLevel level) {
    return switch (level) {
      case INFO -> "i";
      case WARNING -> "!";
      case CRITICAL -> "X";
    };
  }

  private static String ansi(AlertLevel level) {
    return switch (level) {
      case INFO -> "\u001b[36m";
      case WARNING -> "\u001b[33m";
      case CRITICAL -> "\u001b[1;31m";
    };
  }

  private static boolean canEncodeSymbols(Charset charset) {
    if (!charset.canEncode()) {
      return false;
    }
    CharsetEncoder encoder = charset.newEncoder();
    return encoder.canEncode("ℹ⚠✖—");
  }

  /**
   * The name with control characters (escape sequences, line breaks) shown as {@code \\uXXXX}, so
   * a name from outside cannot recolour the terminal or split the line.
   */
  static String printable(String text) {
    StringBuilder sb = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        if (sb == null) {
          sb = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? text : sb.toString();
  }

  /** Configures a {@link ConsoleAlertSink}. */
  public static final class Builder {
    private final PrintStream out;
    private boolean colour;
    private Charset charset;

    private Builder(PrintStream out) {
      this.out = Objects.requireNonNull(out, "out");
    }

    /** Whether to write ANSI colour codes; see {@link #colourWanted}. Default false. */
    public Builder colour(boolean colour) {
      this.colour = colour;
      return this;
    }

    /**
     * The charset the stream encodes with, to decide between symbols and the ASCII fallback. Default
     * {@link ConsoleAlertSink#stderrCharset()}.
     */
    public Builder charset(Charset charset) {
      this.charset = Objects.requireNonNull(charset, "charset");
      return this;
    }

    /** The sink. */
    public ConsoleAlertSink build() {
      return new ConsoleAlertSink(out, colour, charset != null ? charset : stderrCharset());
    }
  }
}
