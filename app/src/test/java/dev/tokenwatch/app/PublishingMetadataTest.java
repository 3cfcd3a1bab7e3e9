package dev.tokenwatch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.readme.ReadmeSnippets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The build's publishing rules that Maven itself does not check: the BOM lists exactly the published
 * modules and repeats the root pom's coordinates and Central metadata (it has no parent, see its pom),
 * every published module names and describes itself, and the README's coordinates are this version.
 */
class PublishingMetadataTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final List<String> METADATA = List.of("url", "licenses", "developers", "scm", "issueManagement");

  @Test
  void theBomManagesExactlyThePublishedModulesAtTheProjectVersion() throws Exception {
    Element root = pom(ROOT.resolve("pom.xml"));
    Element bom = pom(ROOT.resolve("tokenwatch-bom/pom.xml"));
    assertThat(child(bom, "parent")).isEmpty();
    assertThat(text(bom, "groupId")).isEqualTo(text(root, "groupId"));
    assertThat(text(bom, "version")).isEqualTo(text(root, "version"));

    List<String> managed = new ArrayList<>();
    for (Element dependency : children(child(child(bom, "dependencyManagement").orElseThrow(), "dependencies").orElseThrow(),
        "dependency")) {
      assertThat(text(dependency, "groupId")).isEqualTo("dev.tokenwatch");
      assertThat(text(dependency, "version")).as(text(dependency, "artifactId")).isEqualTo("${project.version}");
      managed.add(text(dependency, "artifactId"));
    }
    assertThat(managed).containsExactlyInAnyOrderElementsOf(publishedModules(root).keySet());
  }

  @Test
  void everyPublishedModuleNamesAndDescribesItself() throws Exception {
    Map<String, Element> published = publishedModules(pom(ROOT.resolve("pom.xml")));
    assertThat(published).containsKeys("monitoring-domain", "tokenwatch-spring-boot-starter")
        .doesNotContainKeys("app", "benchmarks");
    published.forEach((artifactId, pom) -> {
      assertThat(text(pom, "name")).as(artifactId + " <name>").isNotBlank();
      assertThat(text(pom, "description")).as(artifactId + " <description>").isNotBlank();
    });
  }

  @Test
  void theBomRepeatsTheRootsMetadataWithTheRepositoryAddressFilledIn() throws Exception {
    Element root = pom(ROOT.resolve("pom.xml"));
    Element bom = pom(ROOT.resolve("tokenwatch-bom/pom.xml"));
    String repository = text(child(root, "properties").orElseThrow(), "tokenwatch.repository.url");
    assertThat(repository).startsWith("https://");
    for (String name : METADATA) {
      String expected = flat(child(root, name).orElseThrow()).replace("${tokenwatch.repository.url}", repository);
      assertThat(flat(child(bom, name).orElseThrow())).as("<" + name + ">").isEqualTo(expected);
    }
    assertThat(flat(child(root, "licenses").orElseThrow())).contains("Apache-2.0");
    assertThat(Files.readString(ROOT.resolve("LICENSE"))).contains("Apache License", "Version 2.0");
  }

  @Test
  void theBomIsSignedAndUploadedByTheSameReleaseProfileAsTheModules() throws Exception {
    Element root = release(pom(ROOT.resolve("pom.xml")));
    assertThat(flat(root)).contains("maven-gpg-plugin", "central-publishing-maven-plugin");
    assertThat(flat(release(pom(ROOT.resolve("tokenwatch-bom/pom.xml"))))).isEqualTo(flat(root));
  }

  @Test
  void theReadmesCoordinatesAreThisVersionOfTheBom() throws Exception {
    String version = text(pom(ROOT.resolve("pom.xml")), "version");
    assertThat(ReadmeSnippets.readmeSnippet("Maven"))
        .contains("<artifactId>tokenwatch-bom</artifactId>\n      <version>" + version + "</version>")
        .contains("<scope>import</scope>");
    assertThat(ReadmeSnippets.readmeSnippet("Gradle"))
        .contains("implementation(platform(\"dev.tokenwatch:tokenwatch-bom:" + version + "\"))");
  }

  /** artifactId to pom of every module of the root's reactor that does not set publish.skip, except the BOM. */
  private static Map<String, Element> publishedModules(Element root) throws Exception {
    Map<String, Element> published = new LinkedHashMap<>();
    for (Element module : children(child(root, "modules").orElseThrow(), "module")) {
      Element pom = pom(ROOT.resolve(module.getTextContent().strip()).resolve("pom.xml"));
      boolean skipped = child(pom, "properties").map(properties -> text(properties, "publish.skip"))
          .filter("true"::equals).isPresent();
      String artifactId = text(pom, "artifactId");
      if (!skipped && !artifactId.equals("tokenwatch-bom")) {
        published.put(artifactId, pom);
      }
    }
    return published;
  }

  private static Element release(Element pom) {
    return children(child(pom, "profiles").orElseThrow(), "profile").stream()
        .filter(profile -> text(profile, "id").equals("release")).findFirst().orElseThrow();
  }

  private static Element pom(Path file) throws Exception {
    return DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
  }

  private static Optional<Element> child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  private static String text(Element parent, String name) {
    return child(parent, name).map(element -> element.getTextContent().strip()).orElse("");
  }

  /** An element's text content without layout whitespace, for comparing two blocks of metadata. */
  private static String flat(Element element) {
    return element.getTextContent().replaceAll("\\s+", " ").strip();
  }
}
