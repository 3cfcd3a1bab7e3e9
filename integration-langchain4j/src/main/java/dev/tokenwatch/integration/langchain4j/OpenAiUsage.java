package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;

/** OpenAI's cached prompt tokens: part of its input count. Loaded only for an {@link OpenAiTokenUsage}. */
final class OpenAiUsage {

  private OpenAiUsage() {}

  static ProviderUsage.Cache cache(TokenUsage usage) {
    OpenAiTokenUsage.InputTokensDetails details = ((OpenAiTokenUsage) usage).inputTokensDetails();
    long cached = details == null ? 0 : ProviderUsage.orZero(details.cachedTokens());
    return cached == 0 ? ProviderUsage.Cache.NONE : new ProviderUsage.Cache(0, cached, true);
  }
}
