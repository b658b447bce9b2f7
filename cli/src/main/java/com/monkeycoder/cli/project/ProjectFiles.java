package com.monkeycoder.cli.project;

import com.monkeycoder.cli.git.GitCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The files of a project as a person working on it sees them. In a git work tree, git says which (tracked files and
 * untracked ones its ignore rules let through, {@code .gitignore} included); elsewhere the tree is walked, leaving
 * out version-control folders and the usual dependency and build output folders.
 */
final class ProjectFiles {

    /** Folders never listed, and never walked into: version-control metadata. */
    static final Set<String> VCS_FOLDERS = Set.of(".git", ".hg", ".svn", ".bzr", "_darcs", ".jj", "cvs");
    /** Outside git, where no ignore rules say so: dependencies, build output and caches. */
    static final Set<String> IGNORED_FOLDERS = Set.of("node_modules", "target", "build", "dist", "out", ".venv",
            "venv", "__pycache__", ".gradle", ".idea", ".vscode", ".tox", ".mypy_cache", ".pytest_cache", ".next",
            ".cache", ".terraform", "vendor");
    /** Enough for any project a model can work on; a walk of a home folder stops here. */
    static final int MAX_FILES = 50_000;

    private ProjectFiles() {
    }

    /** Relative paths with '/' separators, sorted. */
    static List<String> list(ProjectRoot root) throws IOException {
        List<String> files = fromGit(root.path());
        if (files == null) {
            files = walk(root.path());
        }
        files.sort(null);
        return files;
    }

    /** git's list, or null when the folder is not in a work tree (or git is missing). */
    private static List<String> fromGit(Path root) {
        GitCommand.Output out;
        try {
            out = GitCommand.run(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z");
        } catch (IOException noGit) {
            return null;
        }
        if (!out.ok()) {
            return null;
        }
        List<String> files = new ArrayList<>();
        for (String name : new String(out.stdout(), StandardCharsets.UTF_8).split("\0")) {
            // Deleted files still in the index, submodules and VCS metadata are not files one can read.
            if (!name.isEmpty() && files.size() < MAX_FILES && !inVcsFolder(name)
                    && isFileOrLink(root.resolve(name))) {
                files.add(name);
            }
        }
        return files;
    }

    private static List<String> walk(Path root) throws IOException {
        List<String> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String name = dir.getFileName().toString();
                return VCS_FOLDERS.contains(name.toLowerCase(Locale.ROOT)) || IGNORED_FOLDERS.contains(name)
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                    files.add(root.relativize(file).toString().replace('\\', '/'));
                }
                return files.size() >= MAX_FILES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // an unreadable folder is left out, not the end of the list
            }
        });
        return files;
    }

    private static boolean inVcsFolder(String relative) {
        for (String segment : relative.split("/")) {
            if (VCS_FOLDERS.contains(segment.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isFileOrLink(Path path) {
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path);
    }
}
