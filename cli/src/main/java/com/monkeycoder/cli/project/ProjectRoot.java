package com.monkeycoder.cli.project;

import com.monkeycoder.cli.write.PathGuard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project folder a run may read and edit, and the only way a path a model names becomes a file: absolute paths
 * outside it, {@code ..}, symbolic links whose target leads out (every component's real path is checked) and
 * anything inside version-control metadata ({@code .git}, {@code .hg}, {@code .svn}, {@code .jj}, ...) are refused.
 */
public final class ProjectRoot {

    /** Where a name leads: a file or folder inside the project, or the reason it may not be used. */
    public sealed interface Location {

        /**
         * @param relative the path inside the project with '/' separators ("" for the project itself)
         * @param path     the real path on disk (links inside the project followed)
         */
        record Inside(String relative, Path path) implements Location {
        }

        record Refused(String name, String reason) implements Location {

            /** For the model and the user: {@code path '../x' refused: climbs out of the folder with '..'}. */
            public String message() {
                return "path '" + name + "' refused: " + reason;
            }
        }
    }

    /** A name no project file is expected to have; see {@link #folder(String)}. */
    private static final String FOLDER_PROBE = ".monkey-folder-probe";

    private final Path path;
    private final PathGuard guard;

    private ProjectRoot(Path path) {
        this.path = path;
        this.guard = new PathGuard(path);
    }

    /** The project in {@code dir}, which must be an existing folder. */
    public static ProjectRoot of(Path dir) throws IOException {
        Path real = dir.toRealPath();
        if (!Files.isDirectory(real)) {
            throw new IOException(dir + " is not a folder");
        }
        return new ProjectRoot(real);
    }

    /** The project folder's real path. */
    public Path path() {
        return path;
    }

    /** The file {@code name} leads to; it need not exist yet (an edit may create it). */
    public Location file(String name) {
        String relative = insideIfAbsolute(name);
        PathGuard.Result result = guard.resolve(relative);
        if (result.refused().isPresent()) {
            return new Location.Refused(name, result.refusal());
        }
        return new Location.Inside(result.relative(), result.target());
    }

    /** The existing folder {@code name} leads to; "" or "." is the project itself. */
    public Location folder(String name) {
        String relative = insideIfAbsolute(name == null ? "" : name);
        if (relative.replace('\\', '/').matches("[./]*") && !relative.contains("..")) {
            return new Location.Inside("", path);
        }
        // The guard resolves files; a file inside the folder checks every component of the folder itself the same
        // way (links, '..', VCS metadata), whether or not that file exists.
        PathGuard.Result probe = guard.resolve(relative + "/" + FOLDER_PROBE);
        if (probe.refused().isPresent()) {
            return new Location.Refused(name, probe.refusal());
        }
        Path folder = probe.target().getParent();
        if (!Files.isDirectory(folder)) {
            return new Location.Refused(name, Files.exists(folder) ? "is a file, not a folder" : "does not exist");
        }
        String inside = probe.relative();
        return new Location.Inside(inside.substring(0, inside.length() - FOLDER_PROBE.length() - 1), folder);
    }

    /** Models often name files by the absolute path they were shown; one inside the project is taken as relative. */
    private String insideIfAbsolute(String name) {
        if (name == null || !name.startsWith("/") && !name.matches("^[A-Za-z]:[\\\\/].*")) {
            return name == null ? "" : name;
        }
        try {
            Path given = Path.of(name).normalize();
            if (given.startsWith(path) && !name.contains("..")) {
                return path.relativize(given).toString().replace('\\', '/');
            }
        } catch (java.nio.file.InvalidPathException e) {
            // left as it is: the guard says why it is refused
        }
        return name;
    }
}
