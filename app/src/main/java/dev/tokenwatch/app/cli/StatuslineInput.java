package dev.tokenwatch.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tokenwatch.app.env.AppEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code tokenwatch statusline} uses of the JSON object Claude Code writes to a status-line
 * command's stdin: {@code session_id} and {@code model.display_name} (else {@code model.id}); the
 * other fields ({@code workspace}, {@code transcript_path}, {@code cost}, ...) are skipped. Absent,
 * empty or broken input gives no session and no model, never an error.
 *
 * @param sessionId the session's id, or {@code null}
 * @param model the model's name to show, or {@code null}
 * @param problem why the input was not used, for stderr; {@code null} when it was used or empty
 */
record StatuslineInput(String sessionId, String model, String problem) {

  /** Claude Code's object is a few kilobytes; more than this is not it. */
  static final int MAX_BYTES = 1 << 20;
  /** A display name longer than this is cut: the line has to fit a terminal. */
  static final int MAX_MODEL_CHARS = 40;

  static final StatuslineInput NONE = new StatuslineInput(null, null, null);

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * Starts reading {@code stdin} on a daemon thread, up to end of input or {@link #MAX_BYTES}; the
   * caller does its other work meanwhile and then {@linkplain Pending#await waits} a bounded time.
   * A terminal is not read at all: nobody is going to type the JSON.
   */
  static Pending start(AppEnvironment env) {
    if (env.stdinIsTerminal()) {
      return new Pending(null, null);
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    CompletableFuture<Void> done = new CompletableFuture<>();
    InputStream in = env.stdin();
    Thread reader = new Thread(() -> {
      byte[] chunk = new byte[8192];
      try {
        int n;
        while (buffer.size() < MAX_BYTES && (n = in.read(chunk)) != -1) {
          buffer.write(chunk, 0, n);
        }
      } catch (IOException e) {
        // a closed or broken stdin is no input: what was read so far is all there is
      }
      done.complete(null);
    }, "tokenwatch-statusline-stdin");
    reader.setDaemon(true); // a writer that never closes stdin must not keep the process alive
    reader.start();
    return new Pending(buffer, done);
  }

  /** Input being read; see {@link #start}. */
  static final class Pending {
    private final ByteArrayOutputStream buffer;
    private final CompletableFuture<Void> done;

    private Pending(ByteArrayOutputStream buffer, CompletableFuture<Void> done) {
      this.buffer = buffer;
      this.done = done;
    }

    /**
     * The input, after its end or after {@code millis} at most, whichever comes first (what has
     * arrived by then is parsed: a writer that keeps stdin open has written its object by then).
     */
    StatuslineInput await(long millis) {
      if (buffer == null) {
        return NONE;
      }
      try {
        done.get(millis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // parse what there is
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] bytes = buffer.toByteArray(); // synchronized with the reader's writes
      return parse(new String(bytes, 0, Math.min(bytes.length, MAX_BYTES), StandardCharsets.UTF_8));
    }
  }

  /** The fields of {@code text}; blank text is no input, anything but a JSON object a {@link #problem}. */
  static StatuslineInput parse(String text) {
    if (text.isBlank()) {
      return NONE;
    }
    String session = null;
    String displayName = null;
    String modelId = null;
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return problem("it is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("session_id") && value == JsonToken.VALUE_STRING) {
          session = p.getText();
        } else if (field.equals("model") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String modelField = p.currentName();
            JsonToken modelValue = p.nextToken();
            if (modelField.equals("display_name") && modelValue == JsonToken.VALUE_STRING) {
              displayName = p.getText();
            } else if (modelField.equals("id") && modelValue == JsonToken.VALUE_STRING) {
              modelId = p.getText();
            } else {
              p.skipChildren();
            }
          }
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      return problem("it is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return problem("it cannot be read: " + e.getMessage());
    }
    String model = shown(displayName != null && !displayName.isBlank() ? displayName : modelId);
    return new StatuslineInput(session == null || session.isBlank() ? null : session.strip(), model, null);
  }

  private static StatuslineInput problem(String why) {
    return new StatuslineInput(null, null, "stdin is not Claude Code's status-line JSON (" + why
        + "): the line shows no session");
  }

  /** Without control characters (no escape sequences reach the terminal from the input), and short. */
  private static String shown(String name) {
    if (name == null) {
      return null;
    }
    String plain = name.replaceAll("\\p{Cntrl}", "").strip();
    if (plain.isEmpty()) {
      return null;
    }
    return plain.length() <= MAX_MODEL_CHARS ? plain : plain.substring(0, MAX_MODEL_CHARS - 1) + "…";
  }
}
