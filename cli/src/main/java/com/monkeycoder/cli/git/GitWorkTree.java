package com.monkeycoder.cli.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A git work tree, driven through the {@code git} command so that the user's own git (its configuration, hooks and
 * version) does the work: which files have uncommitted changes, a commit of exactly the files {@code monkey}
 * changed, and the undoing of such a commit.
 */
public final class GitWorkTree {

    /** Pathspecs are file names, never patterns: a file called {@code *.java} is that file only. */
    private static final String LITERAL = "--literal-pathspecs";
    /** A read-only status should not take the index lock a user's own git command may be waiting for. */
    private static final Map<String, String> NO_OPTIONAL_LOCKS = Map.of("GIT_OPTIONAL_LOCKS", "0");

    private final Path top;

    private GitWorkTree(Path top) {
        this.top = top;
    }

    /** The work tree {@code dir} is in, or empty when it is in none (or git is not installed). */
    public static Optional<GitWorkTree> find(Path dir) {
        try {
            GitCommand.Output out = GitCommand.run(dir, "rev-parse", "--show-toplevel");
            if (!out.ok() || out.text().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new GitWorkTree(Path.of(out.text().strip()).toRealPath()));
        } catch (IOException noGit) {
            return Optional.empty();
        }
    }

    /** The top folder of the work tree, as a real path. */
    public Path top() {
        return top;
    }

    /**
     * The files with uncommitted changes, staged or not, untracked ones included (git cannot give their content
     * back), as absolute paths under {@link #top()}. Ignored files are not listed.
     */
    public Set<Path> dirtyPaths() throws IOException {
        Set<Path> dirty = new LinkedHashSet<>();
        List<String> records = status("--untracked-files=all");
        for (int i = 0; i < records.size(); i++) {
            String record = records.get(i);
            if (record.length() < 4) {
                continue;
            }
            dirty.add(top.resolve(record.substring(3)));
            char index = record.charAt(0);
            if ((index == 'R' || index == 'C') && i + 1 < records.size()) {
                dirty.add(top.resolve(records.get(++i))); // the path it was renamed or copied from
            }
        }
        return dirty;
    }

    /**
     * Commits exactly {@code files} (new ones included) and nothing else that is staged, with the message of
     * {@link CommitMessage}; the user's hooks run as for any commit.
     *
     * @return the new commit's id
     * @throws IOException when git refuses (a hook failed, nothing changed, a file outside the work tree)
     */
    public String commit(Collection<Path> files, CommitMessage message) throws IOException {
        if (files.isEmpty()) {
            throw new IOException("nothing to commit: no file was given");
        }
        List<String> paths = new ArrayList<>();
        for (Path file : files) {
            paths.add(relative(file));
        }
        List<String> add = new ArrayList<>(List.of(LITERAL, "add", "--"));
        add.addAll(paths);
        require(GitCommand.run(top, add.toArray(String[]::new)), "git add");
        // --cleanup=whitespace keeps lines that start with '#' (Markdown headings of an answer) in the message.
        List<String> commit = new ArrayList<>(List.of(LITERAL, "commit", "--only", "--cleanup=whitespace", "-F", "-", "--"));
        commit.addAll(paths);
        require(GitCommand.run(top, message.text().getBytes(StandardCharsets.UTF_8), Map.of(),
                commit.toArray(String[]::new)), "git commit");
        return require(GitCommand.run(top, "rev-parse", "HEAD"), "git rev-parse").text().strip();
    }

    /** {@link #commit(Collection, CommitMessage)} with the message made from {@code text} and the model's name. */
    public String commit(Collection<Path> files, String text, String model) throws IOException {
        return commit(files, CommitMessage.of(text, model));
    }

    /**
     * Takes back the last commit {@code monkey} made: the commit leaves the branch (it stays in the reflog) and the
     * files it changed return to their previous content. Refused, with the reason, when the repository has no
     * commit, when HEAD was not made by {@code monkey}, when tracked files have uncommitted changes, when HEAD is
     * the first commit, or when HEAD is already on a remote branch (undoing it would rewrite published history).
     */
    public UndoResult undoLast() throws IOException {
        if (!GitCommand.run(top, "rev-parse", "--verify", "-q", "HEAD").ok()) {
            return new UndoResult.Refused("the repository has no commits yet");
        }
        String subject = require(GitCommand.run(top, "log", "-1", "--format=%h %s", "HEAD"), "git log").text().strip();
        String marker = require(GitCommand.run(top, "log", "-1",
                "--format=%(trailers:key=" + CommitMessage.MARKER_TRAILER + ",valueonly)", "HEAD"), "git log").text();
        if (marker.isBlank()) {
            return new UndoResult.Refused("HEAD (" + subject + ") was not made by monkey; only monkey's own last"
                    + " commit can be undone");
        }
        List<String> changed = status("--untracked-files=no");
        if (!changed.isEmpty()) {
            return new UndoResult.Refused("there are uncommitted changes (" + changed.getFirst().substring(3)
                    + (changed.size() > 1 ? " and " + (changed.size() - 1) + " more" : "")
                    + "); commit or stash them first");
        }
        if (!GitCommand.run(top, "rev-parse", "--verify", "-q", "HEAD~1").ok()) {
            return new UndoResult.Refused("HEAD (" + subject + ") is the repository's first commit; there is no"
                    + " earlier state to go back to");
        }
        String remotes = require(GitCommand.run(top, "branch", "-r", "--contains", "HEAD"), "git branch").text().strip();
        if (!remotes.isEmpty()) {
            return new UndoResult.Refused("HEAD (" + subject + ") is already on " + remotes.lines().findFirst()
                    .orElse("").strip() + "; undoing it would rewrite published history (use git revert HEAD)");
        }
        String commit = require(GitCommand.run(top, "rev-parse", "HEAD"), "git rev-parse").text().strip();
        List<String> files = nulSeparated(require(GitCommand.run(top, "diff-tree", "--no-commit-id", "--name-only",
                "-r", "-z", "HEAD"), "git diff-tree").stdout());
        // --keep rather than --hard: should a file change between the check above and now, git refuses instead of
        // throwing the change away.
        require(GitCommand.run(top, "reset", "--keep", "HEAD~1"), "git reset");
        return new UndoResult.Undone(commit, subject.substring(subject.indexOf(' ') + 1), files);
    }

    private List<String> status(String untracked) throws IOException {
        return nulSeparated(require(GitCommand.run(top, null, NO_OPTIONAL_LOCKS, "status", "--porcelain=v1", "-z",
                untracked), "git status").stdout());
    }

    private String relative(Path file) throws IOException {
        Path absolute = file.isAbsolute() ? file.normalize() : top.resolve(file).normalize();
        if (!absolute.startsWith(top)) {
            throw new IOException(file + " is not inside the work tree " + top);
        }
        return top.relativize(absolute).toString().replace('\\', '/');
    }

    private static List<String> nulSeparated(byte[] bytes) {
        List<String> records = new ArrayList<>();
        for (String record : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
            if (!record.isEmpty()) {
                records.add(record);
            }
        }
        return records;
    }

    private static GitCommand.Output require(GitCommand.Output out, String what) throws IOException {
        if (!out.ok()) {
            throw new IOException(what + " failed: " + out.reason());
        }
        return out;
    }
}
