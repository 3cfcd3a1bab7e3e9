package dev.tokenwatch.spring;

import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.ledger.UsageFilter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tokenwatch.*} properties. Each budget is built with {@link TokenBudget#builder()} while
 * the properties are bound, so an invalid budget fails startup with Spring's binding report naming
 * {@code tokenwatch.budgets[i]} and the domain's message (e.g. "limit must be positive, got -5"); a
 * value left out takes the domain's default.
 */
@ConfigurationProperties(prefix = TokenwatchProperties.PREFIX)
public class TokenwatchProperties {

  /** The prefix of every property. */
  public static final String PREFIX = "tokenwatch";

  /** Whether tokenwatch is configured at all. */
  private boolean enabled = true;

  /** The budgets every tracked call is charged to (at least one). */
  private List<Budget> budgets = new ArrayList<>();

  private final Store store = new Store();

  private final Notifiers notifiers = new Notifiers();

  private final SpringAi springAi = new SpringAi();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<Budget> getBudgets() {
    return budgets;
  }

  public void setBudgets(List<Budget> budgets) {
    this.budgets = budgets;
  }

  public Store getStore() {
    return store;
  }

  public Notifiers getNotifiers() {
    return notifiers;
  }

  public SpringAi getSpringAi() {
    return springAi;
  }

  /** One budget, validated by the domain's builder when bound; see {@link TokenBudget}. */
  public static final class Budget {

    private final TokenBudget budget;

    /**
     * @param name the budget's name; "default" if left out
     * @param limit tokens per period; give this or {@code limitUsd}
     * @param limitUsd US dollars per period (a decimal such as 250.00)
     * @param period daily, weekly or monthly; monthly if left out
     * @param zone the time zone of the period boundaries; UTC if left out
     * @param alertThresholds shares of the limit at which alerts fire; 0.5, 0.7, 0.8, 1.0 if left out
     * @param historySize how many recent events the budget's history shows
     * @param scope which calls the budget counts; every call if left out
     * @param forecastThresholds shares of the limit at which a forecast alert fires when the
     *     period's projected total reaches them; none if left out
     * @param forecastMinimum the usage (tokens, or nano-dollars for a USD budget) below which no
     *     forecast is made; 5% of the limit if left out
     */
    public Budget(String name, Long limit, BigDecimal limitUsd, String period, ZoneId zone,
        List<Double> alertThresholds, Integer historySize, Scope scope, List<Double> forecastThresholds,
        Long forecastMinimum) {
      if (limit != null && limitUsd != null) {
        throw new IllegalArgumentException("give limit (tokens) or limit-usd, not both; got limit=" + limit
            + " and limit-usd=" + limitUsd.toPlainString());
      }
      TokenBudget.Builder builder = TokenBudget.builder();
      if (name != null) {
        builder.name(name);
      }
      if (limit != null) {
        builder.limit(limit);
      }
      if (limitUsd != null) {
        builder.limitUsd(limitUsd);
      }
      if (period != null) {
        builder.period(BudgetPeriod.parse(period));
      }
      if (zone != null) {
        builder.zone(zone);
      }
      if (alertThresholds != null) {
        builder.alertThresholds(alertThresholds);
      }
      if (historySize != null) {
        builder.historySize(historySize);
      }
      if (scope != null) {
        builder.scope(scope.filter());
      }
      if (forecastThresholds != null) {
        builder.forecastThresholds(forecastThresholds);
      }
      if (forecastMinimum != null) {
        builder.forecastMinimum(forecastMinimum);
      }
      this.budget = builder.build();
    }

    /** The budget these properties describe. */
    public TokenBudget toBudget() {
      return budget;
    }
  }

  /**
   * Which calls a budget counts: all given conditions must hold (see {@link UsageFilter}).
   *
   * @param models model names or globs ({@code gpt-4o*}), any of which must match
   * @param project the project the call must be made for
   * @param session the session the call must belong to
   * @param tags tags the call must carry with these values
   */
  public record Scope(List<String> models, String project, String session, Map<String, String> tags) {

    UsageFilter filter() {
      UsageFilter filter = UsageFilter.ANY.withModels(models == null ? List.of() : models)
          .withProject(project).withSession(session);
      for (Map.Entry<String, String> tag : (tags == null ? Map.<String, String>of() : tags).entrySet()) {
        filter = filter.withTag(tag.getKey(), tag.getValue());
      }
      return filter;
    }
  }

  /** Kind of store. */
  public enum StoreType {
    /** Nothing kept past the process (tests, experiments). */
    MEMORY,
    /** A local directory, shared with the {@code tokenwatch} CLI (the default). */
    FILE,
    /** A SQL database: PostgreSQL, or an H2 file. */
    JDBC
  }

  /** Where usage is kept. */
  public static class Store {

    /** memory, file or jdbc. */
    private StoreType type = StoreType.FILE;

    /** The file store's directory; the CLI's state directory if left out. */
    private Path path;

    /** The JDBC URL (jdbc:postgresql://host/db or jdbc:h2:/path/usage). */
    private String url;

    /** The database user. */
    private String user;

    /** The database password; never shown in messages or logs. */
    private String password;

    /** The database schema; the connection's current schema if left out. */
    private String schema;

    public StoreType getType() {
      return type;
    }

    public void setType(StoreType type) {
      this.type = type;
    }

    public Path getPath() {
      return path;
    }

    public void setPath(Path path) {
      this.path = path;
    }

    public String getUrl() {
      return url;
    }

    public void setUrl(String url) {
      this.url = url;
    }

    public String getUser() {
      return user;
    }

    public void setUser(String user) {
      this.user = user;
    }

    public String getPassword() {
      return password;
    }

    public void setPassword(String password) {
      this.password = password;
    }

    public String getSchema() {
      return schema;
    }

    public void setSchema(String schema) {
      this.schema = schema;
    }

    @Override
    public String toString() {
      return "Store[type=" + type + ", path=" + path + ", user=" + user + ", schema=" + schema + "]";
    }
  }

  /** Where alerts go, besides any {@code AlertSink} bean of the application. */
  public static class Notifiers {

    private final Console console = new Console();

    private final Slack slack = new Slack();

    public Console getConsole() {
      return console;
    }

    public Slack getSlack() {
      return slack;
    }
  }

  /** One line per alert on stderr. */
  public static class Console {

    /** Whether alerts are written to stderr. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** A Slack incoming webhook. */
  public static class Slack {

    /** The incoming-webhook URL; a secret, never shown in messages or logs. No Slack alerts if unset. */
    private String webhookUrl;

    public String getWebhookUrl() {
      return webhookUrl;
    }

    public void setWebhookUrl(String webhookUrl) {
      this.webhookUrl = webhookUrl;
    }

    @Override
    public String toString() {
      return "Slack[webhookUrl=" + (webhookUrl == null ? "none" : "<redacted>") + "]";
    }
  }

  /** Tracking of Spring AI {@code ChatClient} calls. */
  public static class SpringAi {

    /** Whether every ChatClient built from the auto-configured builder is tracked. */
    private boolean enabled = true;

    /** The project tracked calls are recorded for; none if unset. */
    private String project;

    /** Tags every tracked call carries, e.g. {@code team=search}. */
    private Map<String, String> tags = new LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getProject() {
      return project;
    }

    public void setProject(String project) {
      this.project = project;
    }

    public Map<String, String> getTags() {
      return tags;
    }

    public void setTags(Map<String, String> tags) {
      this.tags = tags;
    }
  }
}
