package dev.tokenwatch.domain.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How README snippets and test sections are found and compared. */
class ReadmeSnippetsTest {

  private static final Path FILE = Path.of("SomeTest.java");

  @Test
  void theBlockAfterTheMarkerIsTheSnippet() {
    String markdown = "text\n<!-- snippet: A -->\n```java\nint a = 1;\n\nint b = 2;\n```\nmore\n```\nother\n```\n";
    assertThat(ReadmeSnippets.readmeBlock(markdown, "A")).isEqualTo("int a = 1;\n\nint b = 2;");
  }

  @Test
  void aMissingDuplicatedOrDetachedMarkerIsNamed() {
    assertThatThrownBy(() -> ReadmeSnippets.readmeBlock("```\nx\n```\n", "A"))
        .hasMessage("README.md has no line <!-- snippet: A -->");
    assertThatThrownBy(() -> ReadmeSnippets.readmeBlock("<!-- snippet: A -->\n```\nx\n```\n<!-- snippet: A -->\n", "A"))
        .hasMessage("README.md has the line <!-- snippet: A --> twice");
    assertThatThrownBy(() -> ReadmeSnippets.readmeBlock("<!-- snippet: A -->\n\n```\nx\n```\n", "A"))
        .hasMessage("README.md: <!-- snippet: A --> (line 1) is not followed by a ``` block");
    assertThatThrownBy(() -> ReadmeSnippets.readmeBlock("<!-- snippet: A -->\n```\nx\n", "A"))
        .hasMessage("README.md: the block after <!-- snippet: A --> is not closed");
  }

  @Test
  void theSectionIsDedentedWithItsRelativeIndentationKept() {
    String source = "class T {\n  void t() {\n    setUp();\n    // --- README: A ---\n    Foo foo = Foo.builder()\n"
        + "        .bar(1)\n\n        .build();\n    // --- end ---\n    check(foo);\n  }\n}\n";
    assertThat(ReadmeSnippets.section(source, "A", FILE)).isEqualTo("Foo foo = Foo.builder()\n    .bar(1)\n\n    .build();");
  }

  @Test
  void aMissingOrUnclosedSectionIsNamed() {
    assertThatThrownBy(() -> ReadmeSnippets.section("// --- README: B ---\nx\n// --- end ---\n", "A", FILE))
        .hasMessage("SomeTest.java has no line // --- README: A ---");
    assertThatThrownBy(() -> ReadmeSnippets.section("// --- README: A ---\nx\n", "A", FILE))
        .hasMessage("SomeTest.java: no // --- end --- after // --- README: A ---");
  }

  @Test
  void theRepositoryReadmeIsFoundFromTheModuleDirectory() {
    assertThat(ReadmeSnippets.readme()).isRegularFile().hasFileName("README.md");
  }
}
