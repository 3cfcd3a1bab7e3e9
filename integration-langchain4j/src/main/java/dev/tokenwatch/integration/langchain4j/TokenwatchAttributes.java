package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.chat.ChatRequestOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The listener attributes {@link TokenwatchChatModelListener} reads from a call's request context:
 * {@value #PROJECT}, {@value #SESSION} and {@value #TAG_PREFIX}{@code <key>} (one per tag), each
 * with a {@code String} value. Pass them with {@link ChatRequestOptions}:
 *
 * <pre>{@code
 * model.chat(request, TokenwatchAttributes.builder().project("search").tag("team", "core").toOptions());
 * // the same as
 * model.chat(request, ChatRequestOptions.builder()
 *     .addListenerAttribute("tokenwatch.project", "search")
 *     .addListenerAttribute("tokenwatch.tag.team", "core").build());
 * }</pre>
 *
 * A listener that runs before tokenwatch's in {@code onRequest} may also put them into the
 * attributes.
 */
public final class TokenwatchAttributes {

  /** The project the call is charged to: a {@code String}. */
  public static final String PROJECT = "tokenwatch.project";

  /** The session (conversation, job) the call belongs to: a {@code String}. */
  public static final String SESSION = "tokenwatch.session";

  /** Prefix of a tag attribute: {@code tokenwatch.tag.team} = {@code "search"} tags the call team=search. */
  public static final String TAG_PREFIX = "tokenwatch.tag.";

  private final Map<Object, Object> attributes;

  private TokenwatchAttributes(Map<Object, Object> attributes) {
    this.attributes = attributes;
  }

  /** A builder of attributes. */
  public static Builder builder() {
    return new Builder();
  }

  /** The attributes, keyed as above. */
  public Map<Object, Object> asMap() {
    return attributes;
  }

  /** Request options that carry these attributes to the listeners. */
  public ChatRequestOptions toOptions() {
    return ChatRequestOptions.builder().listenerAttributes(attributes).build();
  }

  /** Builds {@link TokenwatchAttributes}; values are checked when the event is built. */
  public static final class Builder {
    private final Map<Object, Object> attributes = new LinkedHashMap<>();

    private Builder() {}

    public Builder project(String value) {
      attributes.put(PROJECT, Objects.requireNonNull(value, "project"));
      return this;
    }

    public Builder session(String value) {
      attributes.put(SESSION, Objects.requireNonNull(value, "session"));
      return this;
    }

    public Builder tag(String key, String value) {
      attributes.put(TAG_PREFIX + Objects.requireNonNull(key, "tag key"), Objects.requireNonNull(value, "tag value"));
      return this;
    }

    public TokenwatchAttributes build() {
      return new TokenwatchAttributes(Map.copyOf(attributes));
    }

    /** Shorthand for {@code build().toOptions()}. */
    public ChatRequestOptions toOptions() {
      return build().toOptions();
    }
  }
}
