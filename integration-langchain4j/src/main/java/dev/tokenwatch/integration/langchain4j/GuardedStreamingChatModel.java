package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link StreamingChatModel} that reserves before each call of the model it wraps (see {@link
 * TokenwatchAdmission}); a refusal is thrown to the caller before anything is sent, and the
 * reservation is settled by the handler ({@link GuardedStreamingHandler}).
 */
final class GuardedStreamingChatModel implements StreamingChatModel {

  private final StreamingChatModel model;
  private final TokenwatchAdmission admission;

  GuardedStreamingChatModel(StreamingChatModel model, TokenwatchAdmission admission) {
    this.model = model;
    this.admission = admission;
  }

  @Override
  public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
    Map<Object, Object> attributes = TokenwatchAdmission.attributes(options);
    AdmittedCall call = admission.admit(request, model.defaultRequestParameters(), attributes);
    try {
      model.chat(request, TokenwatchAdmission.marked(attributes), new GuardedStreamingHandler(handler, call));
    } catch (RuntimeException | Error e) {
      call.release();
      throw e;
    }
  }

  @Override
  public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
    AdmittedCall call = admission.admit(request, model.defaultRequestParameters(), Map.of());
    try {
      model.doChat(request, new GuardedStreamingHandler(handler, call));
    } catch (RuntimeException | Error e) {
      call.release();
      throw e;
    }
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
