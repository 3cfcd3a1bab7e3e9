package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.output.TokenUsage;

/**
 * Anthropic's cache writes and reads: apart from its input count. Loaded only for an {@link
 * AnthropicTokenUsage}.
 */
final class AnthropicUsage {

  private AnthropicUsage() {}

  static ProviderUsage.Cache cache(TokenUsage usage) {
    AnthropicTokenUsage anthropic = (AnthropicTokenUsage) usage;
    long creation = ProviderUsage.orZero(anthropic.cacheCreationInputTokens());
    long read = ProviderUsage.orZero(anthropic.cacheReadInputTokens());
    return creation == 0 && read == 0 ? ProviderUsage.Cache.NONE : new ProviderUsage.Cache(creation, read, false);
  }
}
