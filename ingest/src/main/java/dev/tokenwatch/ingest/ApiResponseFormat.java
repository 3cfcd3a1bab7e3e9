package dev.tokenwatch.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.List;

/**
 * An API response format (OpenAI's or Anthropic's): both read the same top-level fields into one
 * shared {@link ApiResponseFields}, so a line is read once whichever of them claims it; they differ
 * in what they claim and how they turn the usage into an event.
 */
abstract class ApiResponseFormat implements LineFormat {

  /** The fields of the line, shared with the other API response format when both are candidates. */
  final ApiResponseFields response;

  ApiResponseFormat(ApiResponseFields response) {
    this.response = response;
  }

  @Override
  public final List<String> fields() {
    return ApiResponseFields.FIELDS;
  }

  @Override
  public final void reset() {
    response.reset();
  }

  @Override
  public final boolean field(String name, JsonToken value, JsonParser p) throws IOException {
    return response.field(name, value, p);
  }
}
