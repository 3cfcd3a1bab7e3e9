package dev.tokenwatch.app.cli;

import dev.tokenwatch.app.wiring.EffectivePrices;
import dev.tokenwatch.config.ConfigException;
import dev.tokenwatch.domain.cost.ModelPrice;
import dev.tokenwatch.domain.cost.PriceMatch;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.Prices;
import dev.tokenwatch.domain.cost.Rate;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tokenwatch prices}: the effective prices and their sources; {@code --update} replaces the table. */
@Command(name = "prices", description = {
    "Lists the effective prices (USD per million tokens) and where each came from.",
    "With MODEL names: the model each matches and the rule that matched it, or 'unpriced'.",
    "--update FILE replaces the price table from a newer genai-prices data JSON (see README)."})
final class PricesCommand implements Callable<Integer> {

  private static final String[] HEADER = {
      "MODEL", "FROM", "INPUT", "OUTPUT", "CACHE WRITE", "CACHE WRITE 1H", "CACHE READ", "SOURCE"};

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "MODEL", arity = "0..*", description = "Model names as events or logs write them.")
  List<String> models = new ArrayList<>();

  @Option(names = "--update", paramLabel = "FILE",
      description = "Replace the price table from this genai-prices data JSON.")
  String update;

  @Option(names = "--source", paramLabel = "TEXT",
      description = "With --update: the source recorded in the table (default: @pydantic/genai-prices, FILE's name).")
  String source;

  @Option(names = "--date", paramLabel = "DAY",
      description = "With --update: the source's date, YYYY-MM-DD (default: FILE's modification day, UTC).")
  String date;

  @Option(names = "--output", paramLabel = "PATH",
      description = "With --update: write the table here instead of <state directory>/prices.tsv.")
  String output;

  PricesCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (update == null) {
      if (source != null || date != null || output != null) {
        throw new ParameterException(spec.commandLine(), "--source, --date and --output need --update FILE");
      }
      return models.isEmpty() ? list() : match();
    }
    if (!models.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--update takes no MODEL names");
    }
    return update();
  }

  private int list() {
    EffectivePrices.Base base = EffectivePrices.base(context.config());
    PriceTable table = base.table().withOverrides(context.config().prices());
    PrintStream out = context.out();
    out.println("# USD per million tokens; table: " + base.table().description() + " (" + base.location() + ")");
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    String tableSource = base.table().description();
    for (ModelPrice model : table.models()) {
      // the header names the table; a line names only what differs from it (a configuration line)
      rows.addAll(rows(model.model(), model.source().equals(tableSource) ? model.withSource("table") : model));
    }
    printAligned(out, rows);
    return ExitCodes.OK;
  }

  private int match() {
    PriceTable table = EffectivePrices.of(context.config());
    PrintStream out = context.out();
    for (String name : models) {
      Optional<PriceMatch> match = table.lookup(name);
      if (match.isEmpty()) {
        out.println(name + ": unpriced (no exact id, alias, provider prefix or normalisation matches)");
        continue;
      }
      PriceMatch found = match.get();
      ModelPrice model = found.price();
      out.println(name + ": " + model.model() + " (" + found.rule().description()
          + (found.matchedName().equals(model.model()) ? "" : " " + found.matchedName()) + "), source: "
          + model.source());
      List<String[]> rows = new ArrayList<>();
      rows.add(Arrays.copyOf(HEADER, HEADER.length - 1));
      for (String[] row : rows(model.model(), model)) {
        rows.add(Arrays.copyOf(row, row.length - 1));
      }
      printAligned(out, rows);
    }
    return ExitCodes.OK;
  }

  private static List<String[]> rows(String name, ModelPrice model) {
    List<String[]> rows = new ArrayList<>();
    for (ModelPrice.Period period : model.periods()) {
      Prices p = period.prices();
      rows.add(new String[] {name, period.from() == null ? "-" : period.from().toString(), rate(p.input()),
          rate(p.output()), rate(p.cacheWrite()), rate(p.cacheWrite1h()), rate(p.cacheRead()), model.source()});
    }
    return rows;
  }

  /** {@code 3}, {@code 3 (6 above 200000)}; {@code -} when not given. */
  static String rate(Rate rate) {
    if (rate == null) {
      return "-";
    }
    StringBuilder text = new StringBuilder(plain(rate.base()));
    for (Rate.Tier tier : rate.tiers()) {
      text.append(" (").append(plain(tier.usdPerMtok())).append(" above ").append(tier.above()).append(')');
    }
    return text.toString();
  }

  private static String plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
  }

  private static void printAligned(PrintStream out, List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        text.append(row[i]);
        if (i < row.length - 1) {
          text.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      text.append('\n');
    }
    out.print(text);
  }

  private int update() {
    Path file = context.env().resolve(update);
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("price source " + update + " does not exist");
    } catch (IOException e) {
      throw new ConfigException("cannot read price source " + update + ": " + e, e);
    }
    LocalDate day;
    try {
      day = date != null ? LocalDate.parse(date)
          : LocalDate.ofInstant(Files.getLastModifiedTime(file).toInstant(), ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new ParameterException(spec.commandLine(), "--date must be a day such as 2026-09-23, got \"" + date + "\"");
    } catch (IOException e) {
      throw new ConfigException("cannot read the modification time of " + update + ": " + e, e);
    }
    String label = source != null ? source : "@pydantic/genai-prices (" + file.getFileName() + ")";
    GenaiPricesConverter.Result result = GenaiPricesConverter.convert(json, update, label, day);
    String text = result.table().format();
    PriceTable.parse(text, "converted table"); // the table reads back, or nothing is written
    Path target = output != null ? context.env().resolve(output) : EffectivePrices.updatedTable(context.config());
    write(target, text);
    context.out().println("wrote " + result.table().models().size() + " models from " + result.table().description()
        + " to " + target + " (skipped: " + result.skippedDuplicates() + " ids of an earlier provider, "
        + result.skippedWithoutTokenPrices() + " without token prices, " + result.skippedTimeOfDay()
        + " time-of-day prices)");
    return ExitCodes.OK;
  }

  /** Writes {@code text} to a temporary file beside {@code target} and moves it into place. */
  private static void write(Path target, String text) {
    Path directory = target.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      temporary = Files.createTempFile(directory, ".prices-", ".tmp");
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new ConfigException("cannot write the price table " + target + ": " + e, e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // the move failed and the temporary file is left behind: harmless
        }
      }
    }
  }
}
