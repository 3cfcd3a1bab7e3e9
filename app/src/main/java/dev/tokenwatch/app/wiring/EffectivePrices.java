package dev.tokenwatch.app.wiring;

import dev.tokenwatch.config.AppConfig;
import dev.tokenwatch.config.ConfigException;
import dev.tokenwatch.domain.cost.PriceTable;
import dev.tokenwatch.domain.cost.PriceTableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The price table in effect: {@code <state directory>/prices.tsv} when {@code tokenwatch prices
 * --update} wrote one, else the built-in table; then the configuration's {@code prices:} on top.
 */
public final class EffectivePrices {

  /** The file {@code prices --update} writes in the state directory. */
  static final String FILE = "prices.tsv";

  private EffectivePrices() {
  }

  /** Where {@code prices --update} writes the table for {@code config}. */
  public static Path updatedTable(AppConfig config) {
    return config.stateDirectory().resolve(FILE);
  }

  /** The table before the configuration's overrides, and where it was read from. */
  public record Base(PriceTable table, String location) {
  }

  /**
   * The table before overrides.
   *
   * @throws ConfigException if the updated table exists but cannot be read, naming file and line
   */
  public static Base base(AppConfig config) {
    Path file = updatedTable(config);
    if (!Files.exists(file)) {
      return new Base(PriceTable.builtIn(), "built in");
    }
    try {
      return new Base(PriceTable.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString()),
          file.toString());
    } catch (IOException e) {
      throw new ConfigException("cannot read the price table " + file + ": " + e, e);
    } catch (PriceTableException e) {
      throw new ConfigException("price table " + e.getMessage()
          + " (run tokenwatch prices --update FILE to replace it, or delete it for the built-in table)", e);
    }
  }

  /** The effective table: {@link #base} with the configuration's {@code prices:}. */
  public static PriceTable of(AppConfig config) {
    return base(config).table().withOverrides(config.prices());
  }
}
