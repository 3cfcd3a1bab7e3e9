package dev.tokenwatch.integration.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.tokenwatch.domain.BudgetPeriod;
import dev.tokenwatch.domain.TokenBudget;
import dev.tokenwatch.domain.TokenTracker;
import dev.tokenwatch.domain.ledger.Counts;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The listener in a JVM whose class path has neither langchain4j-open-ai nor langchain4j-anthropic
 * (as in an application using another provider): it loads and tracks a plain {@link TokenUsage}.
 */
class WithoutProviderModulesTest {

  @Test
  void tracksAPlainResponseWithoutTheProviderModules() throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("langchain4j-open-ai") && !entry.contains("langchain4j-anthropic"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath).contains("langchain4j-core").doesNotContain("langchain4j-open-ai");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", classPath, Child.class.getName())
        .redirectErrorStream(true).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("openai=absent anthropic=absent", "calls=1 input=700 output=80 total=780 project=search");
  }

  /** The child: one response through the listener, then the tracked totals on stdout. */
  public static final class Child {
    public static void main(String[] args) {
      System.out.println("openai=" + presence(ProviderUsage.OPENAI) + " anthropic=" + presence(ProviderUsage.ANTHROPIC));
      TokenTracker tracker = TokenTracker.create(TokenBudget.of(1_000_000, BudgetPeriod.MONTHLY), alert -> {});
      ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build();
      ChatResponse response = ChatResponse.builder().aiMessage(AiMessage.from("Paris.")).id("resp-1")
          .modelName("mistral-large-2411").tokenUsage(new TokenUsage(700, 80)).build();
      Map<Object, Object> attributes = new ConcurrentHashMap<>(Map.of(TokenwatchAttributes.PROJECT, "search"));

      TokenwatchChatModelListener.of(tracker)
          .onResponse(new ChatModelResponseContext(response, request, ModelProvider.MISTRAL_AI, attributes));

      Counts counts = tracker.getPeriodCounts();
      String project = tracker.getHistory().get(0).project();
      System.out.println("calls=" + counts.calls() + " input=" + counts.inputTokens() + " output="
          + counts.outputTokens() + " total=" + counts.totalTokens() + " project=" + project);
    }

    private static String presence(String className) {
      try {
        Class.forName(className);
        return "present";
      } catch (ClassNotFoundException e) {
        return "absent";
      }
    }
  }

}
