package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ChatModel} that reserves before each call of the model it wraps (see {@link
 * TokenwatchAdmission}). Every {@code chat} overload of the interface ends in {@link
 * #chat(ChatRequest, ChatRequestOptions)}; a direct {@link #doChat} is guarded as well.
 */
final class GuardedChatModel implements ChatModel {

  private final ChatModel model;
  private final TokenwatchAdmission admission;

  GuardedChatModel(ChatModel model, TokenwatchAdmission admission) {
    this.model = model;
    this.admission = admission;
  }

  @Override
  public ChatResponse chat(ChatRequest request, ChatRequestOptions options) {
    Map<Object, Object> attributes = TokenwatchAdmission.attributes(options);
    AdmittedCall call = admission.admit(request, model.defaultRequestParameters(), attributes);
    ChatResponse response;
    try {
      response = model.chat(request, TokenwatchAdmission.marked(attributes));
    } catch (RuntimeException | Error e) {
      call.release();
      throw e;
    }
    call.commit(response);
    return response;
  }

  @Override
  public ChatResponse doChat(ChatRequest request) {
    AdmittedCall call = admission.admit(request, model.defaultRequestParameters(), Map.of());
    ChatResponse response;
    try {
      response = model.doChat(request);
    } catch (RuntimeException | Error e) {
      call.release();
      throw e;
    }
    call.commit(response);
    return response;
  }

  @Override
  public ChatRequestParameters defaultRequestParameters() {
    return model.defaultRequestParameters();
  }

  @Override
  public List<ChatModelListener> listeners() {
    return model.listeners();
  }

  @Override
  public ModelProvider provider() {
    return model.provider();
  }

  @Override
  public Set<Capability> supportedCapabilities() {
    return model.supportedCapabilities();
  }

  @Override
  public String toString() {
    return "guarded " + model;
  }
}
