package dev.tokenwatch.spring;

import dev.tokenwatch.config.NotifierSettings;
import dev.tokenwatch.domain.TokenBudget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tokenwatch.*} properties. Each budget ({@link TokenwatchBudgetProperties}) is built with {@link TokenBudget#builder()} while
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
  private List<TokenwatchBudgetProperties> budgets = new ArrayList<>();

  private final Store store = new Store();

  private final Notifiers notifiers = new Notifiers();

  private final SpringAi springAi = new SpringAi();

  private final Admission admission = new Admission();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public List<TokenwatchBudgetProperties> getBudgets() {
    return budgets;
  }

  public void setBudgets(List<TokenwatchBudgetProperties> budgets) {
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

  public Admission getAdmission() {
    return admission;
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

  /**
   * Where alerts go, besides any {@code AlertSink} bean of the application, and how long their
   * delivery is tried: the CLI's {@code notifiers.giveUpAfter} and {@code waitOnExit}, by the same
   * rules ({@link NotifierSettings}), checked as they are bound.
   */
  public static class Notifiers {

    private final Console console = new Console();

    private final Slack slack = new Slack();

    /**
     * How long an undelivered alert (to Slack, or another remote sink) is retried before it is given
     * up; positive, whole seconds, such as 90s, 10m or 24h.
     */
    private Duration giveUpAfter = NotifierSettings.DEFAULT_GIVE_UP_AFTER;

    /**
     * How long closing the context waits for alerts still being delivered; what is left stays in the
     * store's outbox for the next start. Zero or more, whole seconds, such as 0s, 3s or 1m.
     */
    private Duration waitOnExit = NotifierSettings.DEFAULT_WAIT_ON_EXIT;

    public Console getConsole() {
      return console;
    }

    public Slack getSlack() {
      return slack;
    }

    public Duration getGiveUpAfter() {
      return giveUpAfter;
    }

    public void setGiveUpAfter(Duration giveUpAfter) {
      this.giveUpAfter = giveUpAfter;
    }

    public Duration getWaitOnExit() {
      return waitOnExit;
    }

    public void setWaitOnExit(Duration waitOnExit) {
      this.waitOnExit = waitOnExit;
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

  /**
   * The enforcing mode for hard budgets ({@code mode: hard}): the advisor reserves an estimate of
   * each call and refuses one that would pass a hard budget with {@code BudgetExceededException}.
   */
  public static class Admission {

    /** Whether each ChatClient call reserves its estimate first and is refused past a hard budget. */
    private boolean enabled = false;

    /** Characters of prompt text per estimated input token (4 for English text). */
    private int charactersPerToken = 4;

    /** Output tokens reserved for a call whose options set no max-tokens. */
    private int defaultOutputTokens = 1024;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public int getCharactersPerToken() {
      return charactersPerToken;
    }

    public void setCharactersPerToken(int charactersPerToken) {
      this.charactersPerToken = charactersPerToken;
    }

    public int getDefaultOutputTokens() {
      return defaultOutputTokens;
    }

    public void setDefaultOutputTokens(int defaultOutputTokens) {
      this.defaultOutputTokens = defaultOutputTokens;
    }
  }
}
