package dev.tokenwatch.ingest;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the lines of one source say about the lines after them, and what its path says about all
 * of them: the Claude Code project directory the file lies in, and the Codex session (id, working
 * directory, model) from its session-meta and turn-context lines. Saved with the file's offset, so
 * a later run that resumes in the middle of the file still knows them.
 */
final class SourceContext {

  private static final String PROJECTS = "projects";

  /** The directory under {@code projects/} holding the file, as Claude Code names it; null if none. */
  final String projectDirectory;
  String codexSession;
  String codexCwd;
  String codexModel;

  private SourceContext(String projectDirectory) {
    this.projectDirectory = projectDirectory;
  }

  /** The context at the start of {@code path} (null: standard input). */
  static SourceContext of(Path path) {
    return new SourceContext(path == null ? null : projectDirectory(path));
  }

  /** The context saved with an offset ({@link #saved}); {@code saved} may be empty. */
  static SourceContext resumed(Path path, Map<String, String> saved) {
    SourceContext context = of(path);
    context.codexSession = saved.get("codexSession");
    context.codexCwd = saved.get("codexCwd");
    context.codexModel = saved.get("codexModel");
    return context;
  }

  /** What must survive to the next run (only what the lines said; the path says the rest again). */
  Map<String, String> saved() {
    Map<String, String> saved = new LinkedHashMap<>();
    if (codexSession != null) {
      saved.put("codexSession", codexSession);
    }
    if (codexCwd != null) {
      saved.put("codexCwd", codexCwd);
    }
    if (codexModel != null) {
      saved.put("codexModel", codexModel);
    }
    return saved;
  }

  /**
   * {@code ~/.claude/projects/-home-dev-app/<session>.jsonl} (or deeper, as sub-agent logs are)
   * gives {@code -home-dev-app}: the nearest directory whose parent is named {@code projects}.
   */
  private static String projectDirectory(Path file) {
    for (Path dir = file.getParent(); dir != null && dir.getParent() != null; dir = dir.getParent()) {
      Path parentName = dir.getParent().getFileName();
      if (parentName != null && parentName.toString().equals(PROJECTS)) {
        return dir.getFileName().toString();
      }
    }
    return null;
  }
}
