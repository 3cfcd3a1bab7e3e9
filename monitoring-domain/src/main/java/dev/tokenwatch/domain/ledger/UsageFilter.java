package dev.tokenwatch.domain.ledger;

import dev.tokenwatch.domain.TokenUsageEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which events count: all given conditions must hold. Models are names or {@link ModelGlob globs}
 * (an event matches if any of them matches); project and session are compared exactly; every tag
 * given must be present with that value. The empty filter {@link #ANY} matches every event. Used for
 * query filters and for budget scopes alike.
 *
 * <p>Immutable; equal filters have equal {@link #canonical()} texts.
 */
public final class UsageFilter {

  /** Matches every event. */
  public static final UsageFilter ANY = new UsageFilter(List.of(), null, null, new TreeMap<>());

  private final List<ModelGlob> models;
  private final String project;
  private final String session;
  private final SortedMap<String, String> tags;
  private final String canonical;

  /**
   * A filter.
   *
   * @param models model globs, any of which must match; empty for any model
   * @param project the project, or {@code null} for any
   * @param session the session, or {@code null} for any
   * @param tags tags the event must carry with these values; empty for any
   */
  public UsageFilter(List<ModelGlob> models, String project, String session, Map<String, String> tags) {
    this.models = List.copyOf(models);
    this.project = project;
    this.session = session;
    this.tags = Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    this.tags.forEach(TokenUsageEvent::requireValidTag);
    this.canonical = buildCanonical();
  }

  /** Model globs, any of which must match; empty for any model. */
  public List<ModelGlob> models() {
    return models;
  }

  /** The project, or {@code null} for any. */
  public String project() {
    return project;
  }

  /** The session, or {@code null} for any. */
  public String session() {
    return session;
  }

  /** Tags an event must carry with these values; empty for any. */
  public SortedMap<String, String> tags() {
    return tags;
  }

  /** A filter on models only (names or globs). */
  public static UsageFilter models(String... globs) {
    return ANY.withModels(List.of(globs));
  }

  /** This filter with {@code globs} as its models. */
  public UsageFilter withModels(List<String> globs) {
    List<ModelGlob> parsed = new ArrayList<>(globs.size());
    for (String glob : globs) {
      parsed.add(ModelGlob.of(glob));
    }
    return new UsageFilter(parsed, project, session, tags);
  }

  /** This filter with {@code value} as its project ({@code null} for any). */
  public UsageFilter withProject(String value) {
    return new UsageFilter(models, value, session, tags);
  }

  /** This filter with {@code value} as its session ({@code null} for any). */
  public UsageFilter withSession(String value) {
    return new UsageFilter(models, project, value, tags);
  }

  /** This filter requiring also tag {@code key} = {@code value}. */
  public UsageFilter withTag(String key, String value) {
    TreeMap<String, String> more = new TreeMap<>(tags);
    more.put(key, value);
    return new UsageFilter(models, project, session, more);
  }

  /** Whether this filter matches every event. */
  public boolean isAny() {
    return models.isEmpty() && project == null && session == null && tags.isEmpty();
  }

  /** Whether {@code event} passes. */
  public boolean matches(TokenUsageEvent event) {
    return matches(event.model(), event.project(), event.session(), event.tags());
  }

  /** Whether an event with these dimensions passes. */
  public boolean matches(String model, String eventProject, String eventSession, Map<String, String> eventTags) {
    if (!models.isEmpty() && !anyModelMatches(model)) {
      return false;
    }
    if (project != null && !project.equals(eventProject)) {
      return false;
    }
    if (session != null && !session.equals(eventSession)) {
      return false;
    }
    if (tags.isEmpty()) {
      return true; // no iterator for the common case: matching runs for every window of every event
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!tag.getValue().equals(eventTags.get(tag.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private boolean anyModelMatches(String model) {
    for (ModelGlob glob : models) {
      if (glob.matches(model)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A canonical text of this filter, equal for equal filters: part of the key under which a store
   * keeps a budget window's totals.
   */
  public String canonical() {
    return canonical;
  }

  private String buildCanonical() {
    StringBuilder out = new StringBuilder();
    out.append("models=");
    models.stream().map(ModelGlob::text).sorted().forEach(m -> out.append(escape(m)).append(','));
    out.append(";project=").append(project == null ? "" : escape(project));
    out.append(";session=").append(session == null ? "" : escape(session));
    out.append(";tags=");
    tags.forEach((k, v) -> out.append(k).append('=').append(escape(v)).append(','));
    return out.toString();
  }

  /**
   * The filter whose {@link #canonical()} text is {@code text}: a store that keeps a window's scope
   * as that text reads it back with this.
   *
   * @throws IllegalArgumentException if {@code text} is not a canonical text
   */
  public static UsageFilter fromCanonical(String text) {
    List<String> sections = split(text, ';');
    if (sections.size() != 4 || !sections.get(0).startsWith("models=") || !sections.get(1).startsWith("project=")
        || !sections.get(2).startsWith("session=") || !sections.get(3).startsWith("tags=")) {
      throw new IllegalArgumentException("not a canonical usage filter: \"" + text + '"');
    }
    List<String> models = new ArrayList<>();
    for (String glob : split(sections.get(0).substring("models=".length()), ',')) {
      if (!glob.isEmpty()) {
        models.add(unescape(glob));
      }
    }
    String project = sections.get(1).substring("project=".length());
    String session = sections.get(2).substring("session=".length());
    Map<String, String> tags = new TreeMap<>();
    for (String tag : split(sections.get(3).substring("tags=".length()), ',')) {
      if (!tag.isEmpty()) {
        List<String> kv = split(tag, '=');
        if (kv.size() != 2) {
          throw new IllegalArgumentException("not a canonical usage filter: \"" + text + '"');
        }
        tags.put(kv.get(0), unescape(kv.get(1)));
      }
    }
    return new UsageFilter(models.stream().map(ModelGlob::of).toList(), project.isEmpty() ? null : unescape(project),
        session.isEmpty() ? null : unescape(session), tags);
  }

  /** Splits at each {@code separator} not escaped by a backslash; the parts keep their escapes. */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        part.append(c).append(text.charAt(++i));
      } else if (c == separator) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(c == '\\' && i + 1 < s.length() ? s.charAt(++i) : c);
    }
    return out.toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("=", "\\=");
  }

  @Override
  public String toString() {
    if (isAny()) {
      return "all usage";
    }
    List<String> parts = new ArrayList<>();
    if (!models.isEmpty()) {
      parts.add("model " + String.join(" or ", models.stream().map(ModelGlob::text).toList()));
    }
    if (project != null) {
      parts.add("project " + project);
    }
    if (session != null) {
      parts.add("session " + session);
    }
    tags.forEach((k, v) -> parts.add("tag " + k + "=" + v));
    return String.join(", ", parts);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UsageFilter other && other.canonical.equals(canonical);
  }

  @Override
  public int hashCode() {
    return canonical.hashCode();
  }
}
