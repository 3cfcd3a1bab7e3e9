package dev.tokenwatch.integration.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

/**
 * Passes every callback to the caller's handler, each to the same method (as LangChain4j's own
 * listener wrapper does); settles the reservation first on completion (commit) and error (release),
 * and releases it when the caller cancels the stream through a context's handle.
 */
final class GuardedStreamingHandler implements StreamingChatResponseHandler {

  private final StreamingChatResponseHandler handler;
  private final AdmittedCall call;

  GuardedStreamingHandler(StreamingChatResponseHandler handler, AdmittedCall call) {
    this.handler = handler;
    this.call = call;
  }

  @Override
  public void onPartialResponse(String partialResponse) {
    handler.onPartialResponse(partialResponse);
  }

  @Override
  public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
    handler.onPartialResponse(partialResponse, context == null ? null : new PartialResponseContext(releasing(context.streamingHandle())));
  }

  @Override
  public void onPartialThinking(PartialThinking partialThinking) {
    handler.onPartialThinking(partialThinking);
  }

  @Override
  public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
    handler.onPartialThinking(partialThinking, context == null ? null : new PartialThinkingContext(releasing(context.streamingHandle())));
  }

  @Override
  public void onPartialToolCall(PartialToolCall partialToolCall) {
    handler.onPartialToolCall(partialToolCall);
  }

  @Override
  public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
    handler.onPartialToolCall(partialToolCall, context == null ? null : new PartialToolCallContext(releasing(context.streamingHandle())));
  }

  @Override
  public void onCompleteToolCall(CompleteToolCall completeToolCall) {
    handler.onCompleteToolCall(completeToolCall);
  }

  @Override
  public void onUnmappedRawEvent(Object rawEvent) {
    handler.onUnmappedRawEvent(rawEvent);
  }

  @Override
  public void onCompleteResponse(ChatResponse completeResponse) {
    call.commit(completeResponse);
    handler.onCompleteResponse(completeResponse);
  }

  @Override
  public void onError(Throwable error) {
    call.release();
    handler.onError(error);
  }

  private StreamingHandle releasing(StreamingHandle handle) {
    return handle == null ? null : new StreamingHandle() {
      @Override
      public void cancel() {
        handle.cancel();
        call.release(); // a cancelled stream completes no response
      }

      @Override
      public boolean isCancelled() {
        return handle.isCancelled();
      }
    };
  }
}
