package com.monkeycoder.cli.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps writes inside one folder: a path an answer names is refused when it is absolute, climbs out with {@code ..},
 * or passes through a symbolic link that leads outside, or names (or leads into) version-control metadata such as
 * {@code .git}, whatever its case. Links that stay inside are followed, so writing through them changes the file
 * they point to, never the link.
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
        if (name.chars().anyMatch(c -> Character.isISOControl(c))) {
            return Result.refused("contains a control character");
        }
        String slashes = name.replace('\\', '/');
        // Before '..' is looked at, so 'a/../.git/hooks/x' is refused for what it is aiming at.
        for (String segment : slashes.split("/")) {
            Optional<String> vcs = vcsFolder(segment);
            if (vcs.isPresent()) {
                return Result.refused("is inside " + shown(vcs.get()) + ", version-control metadata (writing there can"
                        + " run code on the next " + VCS_FOLDERS.get(vcs.get()) + " command)");
            }
        }
        if (name.chars().anyMatch(c -> com.monkeycoder.cli.output.SafeText.isReordering((char) c))) {
            return Result.refused("contains an invisible character that reorders or hides text (such as U+202E)");
        }
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
        // A link inside the folder may lead into its .git: what counts is where the bytes would land.
        for (Path segment : realRoot.relativize(target)) {
            Optional<String> vcs = vcsFolder(segment.toString());
            if (vcs.isPresent()) {
                return Result.refused("leads into " + shown(vcs.get()) + ", version-control metadata, through a symbolic link");
            }
        }
        return new Result(relative, target, null);
    }

    /** Version-control metadata folders, and the tool that runs what they hold. */
    private static final Map<String, String> VCS_FOLDERS = Map.of(
            ".git", "git", ".hg", "hg", ".svn", "svn", ".bzr", "bzr", "_darcs", "darcs", ".jj", "jj", "cvs", "cvs");

    /**
     * The VCS folder {@code segment} names, compared as the file systems that ignore case or trailing dots and
     * spaces (Windows, macOS) would: {@code .GIT}, {@code .git.}, {@code .git::$INDEX_ALLOCATION}, the 8.3 name
     * {@code GIT~1}, and {@code .g\u200cit} (characters HFS+ ignores) all count as {@code .git}.
     */
    static Optional<String> vcsFolder(String segment) {
        StringBuilder folded = new StringBuilder();
        segment.codePoints().filter(c -> !ignoredByHfs(c)).forEach(folded::appendCodePoint);
        String name = folded.toString().toLowerCase(Locale.ROOT);
        int stream = name.indexOf(':');
        if (stream >= 0) {
            name = name.substring(0, stream); // NTFS alternate data stream
        }
        name = name.replaceAll("[. ]+$", "");
        if (name.equals("git~1")) {
            name = ".git";
        }
        return VCS_FOLDERS.containsKey(name) ? Optional.of(name) : Optional.empty();
    }

    private static String shown(String vcsFolder) {
        return vcsFolder.equals("cvs") ? "CVS" : vcsFolder;
    }

    private static boolean ignoredByHfs(int c) {
        return (c >= 0x200c && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x206a && c <= 0x206f)
                || c == 0xfeff;
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
