package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.output.TokenUsage;

/**
 * Cache tokens of a provider's {@link TokenUsage} subclass. The provider modules are optional: a
 * subclass is recognised by its class name, and only then is the class that reads it ({@link
 * OpenAiUsage}, {@link AnthropicUsage}) loaded; its instance proves the provider's classes are there.
 */
final class ProviderUsage {

  static final String OPENAI = "dev.langchain4j.model.openai.OpenAiTokenUsage";
  static final String ANTHROPIC = "dev.langchain4j.model.anthropic.AnthropicTokenUsage";

  /** Cache tokens of a response: read from or written to the provider's prompt cache. */
  record Cache(long creation, long read, boolean readIncludedInInput) {
    static final Cache NONE = new Cache(0, 0, false);
  }

  private ProviderUsage() {}

  static Cache cacheOf(TokenUsage usage) {
    for (Class<?> type = usage.getClass(); type != TokenUsage.class && type != null; type = type.getSuperclass()) {
      String name = type.getName();
      if (name.equals(OPENAI)) {
        return OpenAiUsage.cache(usage);
      }
      if (name.equals(ANTHROPIC)) {
        return AnthropicUsage.cache(usage);
      }
    }
    return Cache.NONE;
  }

  static long orZero(Integer count) {
    return count == null ? 0 : Math.max(0, count);
  }
}
