package dev.tokenwatch.integration.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default estimate: characters of every text the request sends / 4, rounded up; output bounded. */
class ChatRequestEstimatorTest {

  @Test
  void everyTextOfTheConversationCountsAndTheOutputIsTheRequestsMaximum() {
    ChatRequest request = ChatRequest.builder()
        .messages(SystemMessage.from("Be brief."),                                    // 9
            UserMessage.from(TextContent.from("What is the weather"),                 // 19
                ImageContent.from("https://example.com/sky.png")),                    // not counted
            AiMessage.from(ToolExecutionRequest.builder().id("call_1").name("weather") // 7
                .arguments("{\"city\":\"Berlin\"}").build()),                          // 17
            ToolExecutionResultMessage.from("call_1", "weather", "7 degrees"))        // 9
        .toolSpecifications(ToolSpecification.builder().name("weather")               // 7
            .description("Current weather").build())                                  // 15
        .maxOutputTokens(300)
        .build();

    ChatRequestEstimator.Estimate estimate = ChatRequestEstimator.heuristic().estimate(request);

    assertThat(estimate).isEqualTo(new ChatRequestEstimator.Estimate((83 + 3) / 4, 300));
  }

  @Test
  void withoutAMaximumTheConfiguredOutputIsReserved() {
    ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Capital of France?")).build();

    assertThat(ChatRequestEstimator.heuristic().estimate(request))
        .isEqualTo(new ChatRequestEstimator.Estimate(5, ChatRequestEstimator.DEFAULT_OUTPUT_TOKENS));
    assertThat(ChatRequestEstimator.heuristic(2, 64).estimate(request))
        .isEqualTo(new ChatRequestEstimator.Estimate(9, 64));
  }

  @Test
  void theModelsDefaultsAreMergedUnderTheRequestAsTheModelSendsIt() {
    ChatRequestParameters defaults = ChatRequestParameters.builder().modelName("gpt-4o").maxOutputTokens(256).build();

    ChatRequest merged = TokenwatchAdmission.merged(
        ChatRequest.builder().messages(UserMessage.from("Hi")).build(), defaults);
    ChatRequest overridden = TokenwatchAdmission.merged(
        ChatRequest.builder().messages(UserMessage.from("Hi")).modelName("gpt-4o-mini").maxOutputTokens(16).build(),
        defaults);

    assertThat(merged.modelName()).isEqualTo("gpt-4o");
    assertThat(merged.maxOutputTokens()).isEqualTo(256);
    assertThat(overridden.modelName()).isEqualTo("gpt-4o-mini");
    assertThat(overridden.maxOutputTokens()).isEqualTo(16);
  }

  @Test
  void theHeuristicReadsTheDefaultsAsTheMergedRequestHasThem() {
    ToolSpecification weather = ToolSpecification.builder().name("weather").description("Current weather").build();
    ToolSpecification time = ToolSpecification.builder().name("time").build();
    List<ChatRequestParameters> defaults = List.of(ChatRequestParameters.builder().build(),
        ChatRequestParameters.builder().modelName("gpt-4o").maxOutputTokens(256).toolSpecifications(weather).build());
    List<ChatRequest> requests = List.of(ChatRequest.builder().messages(UserMessage.from("Hi")).build(),
        ChatRequest.builder().messages(UserMessage.from("Hi")).maxOutputTokens(16).toolSpecifications(time).build(),
        ChatRequest.builder().messages(UserMessage.from("Hi")).toolSpecifications(List.of()).build());
    CharacterEstimator heuristic = (CharacterEstimator) ChatRequestEstimator.heuristic();
    for (ChatRequestParameters parameters : defaults) {
      for (ChatRequest request : requests) {
        assertThat(heuristic.estimate(request, parameters)).as(request + " over " + parameters)
            .isEqualTo(heuristic.estimate(TokenwatchAdmission.merged(request, parameters)));
      }
    }
    assertThat(heuristic.estimate(requests.get(0), null)).isEqualTo(heuristic.estimate(requests.get(0)));
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    assertThatThrownBy(() -> ChatRequestEstimator.heuristic(0, 100))
        .hasMessage("charactersPerToken must be at least 1, got 0");
    assertThatThrownBy(() -> ChatRequestEstimator.heuristic(4, -1))
        .hasMessage("defaultOutputTokens must not be negative, got -1");
    assertThatThrownBy(() -> new ChatRequestEstimator.Estimate(-1, 0))
        .hasMessageContaining("must not be negative, got input -1");
  }
}
