package dev.tokenwatch.app.view;

/**
 * How many terminal columns text takes: East Asian wide and full-width characters (CJK, Hangul,
 * full-width forms, most emoji) take two, combining marks and format characters none, the rest
 * one; so a table of project names in Japanese stays aligned. The ranges are Unicode's East Asian
 * Width "W" and "F" blocks, as terminals (and {@code wcwidth}) draw them.
 */
public final class DisplayWidth {

  private DisplayWidth() {}

  /** The columns {@code text} takes. */
  public static int of(String text) {
    int width = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      width += of(codePoint);
      i += Character.charCount(codePoint);
    }
    return width;
  }

  /** The columns one character takes: 0, 1 or 2. */
  public static int of(int codePoint) {
    if (codePoint < 0x300) {
      return 1; // ASCII and Latin-1: the common case, decided at once
    }
    int type = Character.getType(codePoint);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
      return 0;
    }
    return wide(codePoint) ? 2 : 1;
  }

  /**
   * {@code text} cut to at most {@code width} columns, keeping its start and its end around an
   * ellipsis (the telling part of a path or an id).
   */
  static String shorten(String text, int width) {
    if (of(text) <= width) {
      return text;
    }
    int headWidth = (width - 1) / 2;
    int tailWidth = width - 1 - headWidth;
    int head = 0;
    int used = 0;
    while (head < text.length()) {
      int codePoint = text.codePointAt(head);
      if (used + of(codePoint) > headWidth) {
        break;
      }
      used += of(codePoint);
      head += Character.charCount(codePoint);
    }
    int tail = text.length();
    used = 0;
    while (tail > head) {
      int codePoint = text.codePointBefore(tail);
      if (used + of(codePoint) > tailWidth) {
        break;
      }
      used += of(codePoint);
      tail -= Character.charCount(codePoint);
    }
    return text.substring(0, head) + "…" + text.substring(tail);
  }

  private static boolean wide(int c) {
    return c >= 0x1100 && c <= 0x115F // Hangul Jamo initials
        || c >= 0x2E80 && c <= 0x303E // CJK radicals, Kangxi, CJK symbols and punctuation
        || c >= 0x3041 && c <= 0x33FF // Hiragana, Katakana, Bopomofo, Hangul compatibility, CJK compatibility
        || c >= 0x3400 && c <= 0x4DBF // CJK extension A
        || c >= 0x4E00 && c <= 0x9FFF // CJK unified ideographs
        || c >= 0xA000 && c <= 0xA4CF // Yi
        || c >= 0xAC00 && c <= 0xD7A3 // Hangul syllables
        || c >= 0xF900 && c <= 0xFAFF // CJK compatibility ideographs
        || c >= 0xFE30 && c <= 0xFE4F // CJK compatibility forms
        || c >= 0xFF00 && c <= 0xFF60 // full-width forms
        || c >= 0xFFE0 && c <= 0xFFE6 // full-width signs
        || c >= 0x1F300 && c <= 0x1F64F // pictographs, emoticons
        || c >= 0x1F680 && c <= 0x1F6FF // transport and map symbols
        || c >= 0x1F900 && c <= 0x1F9FF // supplemental symbols and pictographs
        || c >= 0x20000 && c <= 0x3FFFD; // CJK extensions B and later
  }
}
