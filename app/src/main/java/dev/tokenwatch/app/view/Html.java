package dev.tokenwatch.app.view;

/** Escaping for text and attribute values in the HTML (and inline SVG) that {@code report --html} writes. */
final class Html {

  private Html() {}

  /**
   * {@code text} safe in element content and in double- or single-quoted attribute values: {@code &
   * < > " '} as character references, and control characters other than tab and line breaks (which
   * no HTML parser keeps) as U+FFFD. {@code null} becomes the empty string.
   */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }
}
