package dev.tokenwatch.domain.testing;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets a benchmark main started by {@code mvn exec:java} fork JVMs (JMH does) with the test class
 * path: JMH gives each fork {@code java.class.path}, which under exec:java is Maven's launcher, so it
 * is set from the class loader that loaded the main instead. Does nothing under plain {@code java -cp}.
 */
public final class ForkClassPath {

  private ForkClassPath() {}

  /** Sets {@code java.class.path} to the class path of the loader of {@code mainClass}, if it is a URL loader. */
  public static void exposeTo(Class<?> mainClass) {
    if (mainClass.getClassLoader() instanceof URLClassLoader loader) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException("class path entry is not a file: " + url, e);
        }
      }
      if (!entries.isEmpty()) {
        System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
      }
    }
  }
}
