package dev.tokenwatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a YAML document into {@link YamlNode}s that remember their lines. */
final class YamlReader {

  private final String fileLabel;

  /** {@code fileLabel} prefixes every error message, e.g. {@code config.yaml}. */
  YamlReader(String fileLabel) {
    this.fileLabel = fileLabel;
  }

  /** The document's root, or empty for an empty document. */
  Optional<YamlNode> read(String text) {
    try (Reader reader = new StringReader(text);
        JsonParser parser = new YAMLFactory().createParser(reader)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return Optional.empty();
      }
      YamlNode root = readValue(parser, "");
      if (parser.nextToken() != null) {
        throw new ConfigException(fileLabel + " line " + line(parser.currentTokenLocation())
            + ": holds more than one YAML document; put the whole configuration in one");
      }
      return Optional.of(root);
    } catch (JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      String where = location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
      throw new ConfigException(fileLabel + where + ": not valid YAML: " + firstLine(e.getOriginalMessage()), e);
    } catch (IOException e) {
      throw new ConfigException(fileLabel + ": cannot read: " + e.getMessage(), e);
    }
  }

  private YamlNode readValue(JsonParser parser, String path) throws IOException {
    JsonToken token = parser.currentToken();
    int line = line(parser.currentTokenLocation());
    switch (token) {
      case START_OBJECT: {
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = line(parser.currentTokenLocation());
          String keyPath = path.isEmpty() ? key : path + "." + key;
          if (entries.containsKey(key)) {
            throw new ConfigException(fileLabel + " line " + keyLine + ": " + keyPath + " is given twice (also on line "
                + entries.get(key).keyLine() + ")");
          }
          parser.nextToken();
          entries.put(key, new YamlNode.Entry(key, keyLine, readValue(parser, keyPath)));
        }
        return new YamlNode.Mapping(line, entries);
      }
      case START_ARRAY: {
        List<YamlNode> items = new ArrayList<>();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(parser, path + "[" + index++ + "]"));
        }
        return new YamlNode.Sequence(line, items);
      }
      case VALUE_NULL:
        return new YamlNode.Scalar(line, null);
      case VALUE_STRING:
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
      case VALUE_TRUE:
      case VALUE_FALSE:
        // The text as written, so "1e3", "0x10" or "1_000" reach validation unchanged.
        return new YamlNode.Scalar(line, parser.getText());
      default:
        throw new ConfigException(fileLabel + " line " + line + ": " + (path.isEmpty() ? "the document" : path)
            + " holds an unsupported YAML value (" + token + ")");
    }
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : location.getLineNr();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "syntax error";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
