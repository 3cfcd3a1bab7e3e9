package dev.tokenwatch.app.view;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Writes the CLI's JSON output, one object per line, with Jackson's streaming generator. */
public final class Json {

  private static final JsonFactory FACTORY = new JsonFactory();

  /** Fields of one object. */
  @FunctionalInterface
  public interface Body {
    void write(JsonGenerator json) throws IOException;
  }

  private Json() {}

  /** One JSON object on one line (without the line break). */
  public static String object(Body body) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      json.writeStartObject();
      body.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string failed", e);
    }
    return text.toString();
  }

  /** "2026-12-01T00:00:00+01:00": an offset date-time with seconds always present. */
  public static String time(ZonedDateTime time) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(time);
  }
}
