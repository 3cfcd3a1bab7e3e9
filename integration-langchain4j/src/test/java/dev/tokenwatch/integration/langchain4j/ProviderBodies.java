package dev.tokenwatch.integration.langchain4j;

/** Response bodies as OpenAI's and Anthropic's APIs send them (shapes of their documented examples). */
public final class ProviderBodies {

  private ProviderBodies() {}

  /** A chat completion whose prompt of {@code prompt} tokens had {@code cached} of them from the cache. */
  public static String openAiCompletion(String id, String model, int prompt, int cached, int completion) {
    return """
        {
          "id": "%s",
          "object": "chat.completion",
          "created": 1764629700,
          "model": "%s",
          "choices": [
            {
              "index": 0,
              "message": {"role": "assistant", "content": "Paris.", "refusal": null, "annotations": []},
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": %d,
            "completion_tokens": %d,
            "total_tokens": %d,
            "prompt_tokens_details": {"cached_tokens": %d, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
              "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
          },
          "service_tier": "default",
          "system_fingerprint": "fp_f33640a400"
        }
        """.formatted(id, model, prompt, completion, prompt + completion, cached);
  }

  /** A streamed chat completion: role, two content deltas, the finish, then the usage chunk. */
  public static String openAiStream(String id, String model, int prompt, int cached, int completion) {
    String head = "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764629700,\"model\":\""
        + model + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_f33640a400\",";
    return "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
        + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"},\"logprobs\":null,"
        + "\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"is.\"},\"logprobs\":null,"
        + "\"finish_reason\":null}],\"usage\":null}\n\n"
        + "data: " + head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":null}\n\n"
        + "data: " + head + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":"
        + completion + ",\"total_tokens\":" + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":"
        + cached + ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}\n\n"
        + "data: [DONE]\n\n";
  }

  /** OpenAI's error body. */
  public static String openAiError(String message, String type) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":null}}";
  }

  /** A message whose input had {@code input} uncached tokens, {@code written} written to and {@code read} read from the cache. */
  public static String anthropicMessage(String id, String model, int input, int written, int read, int output) {
    return """
        {
          "id": "%s",
          "type": "message",
          "role": "assistant",
          "model": "%s",
          "content": [{"type": "text", "text": "Paris."}],
          "stop_reason": "end_turn",
          "stop_sequence": null,
          "usage": {
            "input_tokens": %d,
            "cache_creation_input_tokens": %d,
            "cache_read_input_tokens": %d,
            "cache_creation": {"ephemeral_5m_input_tokens": %d, "ephemeral_1h_input_tokens": 0},
            "output_tokens": %d,
            "service_tier": "standard"
          }
        }
        """.formatted(id, model, input, written, read, written, output);
  }

  /** A streamed message: the input usage in message_start, the final output count in message_delta. */
  public static String anthropicStream(String id, String model, int input, int written, int read, int output) {
    return "event: message_start\n"
        + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":"
        + "\"assistant\",\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + written
        + ",\"cache_read_input_tokens\":" + read + ",\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n"
        + "event: content_block_start\n"
        + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
        + "event: ping\n"
        + "data: {\"type\": \"ping\"}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}\n\n"
        + "event: content_block_delta\n"
        + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"is.\"}}\n\n"
        + "event: content_block_stop\n"
        + "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\n"
        + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":" + output + "}}\n\n"
        + "event: message_stop\n"
        + "data: {\"type\":\"message_stop\"}\n\n";
  }
}
