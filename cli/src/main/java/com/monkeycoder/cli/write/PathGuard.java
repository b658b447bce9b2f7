package com.monkeycoder.cli.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps writes inside one folder: a path an answer names is refused when it is absolute, climbs out with {@code ..},
 * or passes through a symbolic link that leads outside. Links that stay inside are followed, so writing through
 * them changes the file they point to, never the link.
 */
public final class PathGuard {

    private final Path root;
    private final Path realRoot;

    /** @param root the folder writes must stay in; it need not exist yet */
    public PathGuard(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = real(this.root);
    }

    public Path root() {
        return root;
    }

    /** The file {@code name} refers to inside the root, or why it may not be written. */
    public Result resolve(String name) {
        if (name.indexOf('\0') >= 0) {
            return Result.refused("contains a NUL character");
        }
        String slashes = name.replace('\\', '/');
        if (slashes.startsWith("/") || slashes.startsWith("~") || slashes.matches("^[A-Za-z]:.*")) {
            return Result.refused("is an absolute path");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : slashes.split("/")) {
            if (segment.equals("..")) {
                return Result.refused("climbs out of the folder with '..'");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            return Result.refused("names no file");
        }
        String relative = String.join("/", segments);
        Path current = root;
        for (String segment : segments) {
            current = current.resolve(segment);
            if (Files.isSymbolicLink(current)) {
                Path target;
                try {
                    target = current.toRealPath();
                } catch (IOException dangling) {
                    return Result.refused("goes through the symbolic link " + root.relativize(current)
                            + ", which points nowhere");
                }
                if (!target.startsWith(realRoot)) {
                    return Result.refused("goes through the symbolic link " + root.relativize(current)
                            + ", which points outside the folder (to " + target + ")");
                }
                current = target;
            }
        }
        if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
            return Result.refused("is a folder");
        }
        Path target = real(current);
        if (!target.startsWith(realRoot)) {
            return Result.refused("is outside the folder");
        }
        return new Result(relative, target, null);
    }

    /**
     * @param relative the path inside the root, normalised, with '/' separators
     * @param target   where the bytes go: the real path, links inside the root followed
     * @param refusal  why it may not be written, or null when it may
     */
    public record Result(String relative, Path target, String refusal) {

        static Result refused(String why) {
            return new Result(null, null, why);
        }

        public Optional<String> refused() {
            return Optional.ofNullable(refusal);
        }
    }

    /** The real path of {@code path}: that of its deepest existing ancestor, with the rest appended. */
    private static Path real(Path path) {
        Path existing = path;
        List<Path> rest = new ArrayList<>();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            rest.addFirst(existing.getFileName());
            existing = existing.getParent();
        }
        Path base;
        try {
            base = existing == null ? Path.of("/") : existing.toRealPath();
        } catch (IOException e) {
            base = existing;
        }
        for (Path p : rest) {
            base = base.resolve(p);
        }
        return base;
    }
}
