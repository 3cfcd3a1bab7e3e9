package dev.tokenwatch.spring;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers as OpenAI's Chat Completions API does (https://platform.openai.com/docs/api-reference/chat):
 * a {@code chat.completion} object, or for {@code "stream": true} server-sent {@code
 * chat.completion.chunk} events ending with a chunk without choices that carries the usage (asked
 * for with {@code stream_options.include_usage}), then {@code data: [DONE]}.
 */
final class OpenAiChatCompletions {

  static final String MODEL = "gpt-4o-mini-2024-07-18";

  private OpenAiChatCompletions() {}

  /** The usage object: prompt tokens include the cached ones. */
  static String usage(int prompt, int cached, int completion) {
    return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
        + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached
        + ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
  }

  static LoopbackServer.Answer completion(String id, String content, String usage) {
    return LoopbackServer.Answer.json("{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1764633600,"
        + "\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + content + "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":" + usage + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_0123456789\"}");
  }

  /** A response asking for one call of tool {@code name} with {@code arguments} (a JSON object). */
  static LoopbackServer.Answer toolCall(String id, String name, String arguments, String usage) {
    return LoopbackServer.Answer.json("{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":1764633600,"
        + "\"model\":\"" + MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
        + "\"tool_calls\":[{\"id\":\"call_0001\",\"type\":\"function\",\"function\":{\"name\":\"" + name
        + "\",\"arguments\":\"" + arguments.replace("\"", "\\\"") + "\"}}],\"refusal\":null,\"annotations\":[]},"
        + "\"logprobs\":null,\"finish_reason\":\"tool_calls\"}],\"usage\":" + usage
        + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_0123456789\"}");
  }

  static LoopbackServer.Answer stream(String id, List<String> pieces, String usage) {
    List<String> events = new ArrayList<>();
    String head = "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1764633600,\"model\":\""
        + MODEL + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_0123456789\",";
    events.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");
    for (String piece : pieces) {
      events.add(head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},\"logprobs\":null,"
          + "\"finish_reason\":null}],\"usage\":null}");
    }
    events.add(head + "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":null}");
    events.add(head + "\"choices\":[],\"usage\":" + usage + "}");
    List<String> parts = new ArrayList<>();
    for (String event : events) {
      parts.add("data: " + event + "\n\n");
    }
    parts.add("data: [DONE]\n\n");
    return new LoopbackServer.Answer(200, "text/event-stream; charset=utf-8", parts);
  }
}
