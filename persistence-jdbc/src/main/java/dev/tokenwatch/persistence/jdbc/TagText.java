package dev.tokenwatch.persistence.jdbc;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An event's tags as one canonical text column, the same on PostgreSQL and H2: {@code ""} for none,
 * else {@code ,key=value,key=value,} sorted by key, with {@code %}, {@code ,} and {@code =} in values
 * percent-encoded (keys cannot hold them). A pair therefore appears as {@code ,key=value,} only
 * where it is one, so a tag filter is {@code tags LIKE '%,key=value,%'} (see {@link #likePattern}).
 */
final class TagText {

  private TagText() {}

  /** The canonical text of {@code tags}. */
  static String of(Map<String, String> tags) {
    if (tags.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(16 * tags.size());
    out.append(',');
    for (Map.Entry<String, String> tag : new TreeMap<>(tags).entrySet()) {
      out.append(tag.getKey()).append('=');
      encode(tag.getValue(), out);
      out.append(',');
    }
    return out.toString();
  }

  /** The tags of a canonical text. */
  static SortedMap<String, String> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Collections.emptySortedMap();
    }
    TreeMap<String, String> tags = new TreeMap<>();
    int start = 1;
    while (start < text.length()) {
      int comma = text.indexOf(',', start);
      int equals = text.indexOf('=', start);
      if (comma < 0 || equals < 0 || equals > comma) {
        throw new IllegalStateException("damaged tags column: \"" + text + '"');
      }
      tags.put(text.substring(start, equals), decode(text.substring(equals + 1, comma)));
      start = comma + 1;
    }
    return tags;
  }

  /** A {@code LIKE} pattern (escape {@code \}) matching the texts that hold tag {@code key=value}. */
  static String likePattern(String key, String value) {
    StringBuilder pair = new StringBuilder();
    pair.append(',').append(key).append('=');
    encode(value, pair);
    pair.append(',');
    StringBuilder like = new StringBuilder(pair.length() + 8).append('%');
    for (int i = 0; i < pair.length(); i++) {
      char c = pair.charAt(i);
      if (c == '%' || c == '_' || c == '\\') {
        like.append('\\');
      }
      like.append(c);
    }
    return like.append('%').toString();
  }

  private static void encode(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '%' -> out.append("%25");
        case ',' -> out.append("%2C");
        case '=' -> out.append("%3D");
        default -> out.append(c);
      }
    }
  }

  private static String decode(String encoded) {
    if (encoded.indexOf('%') < 0) {
      return encoded;
    }
    StringBuilder out = new StringBuilder(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%' && i + 2 < encoded.length()) {
        out.append((char) Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
