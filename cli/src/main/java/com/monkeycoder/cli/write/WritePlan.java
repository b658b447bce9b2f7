package com.monkeycoder.cli.write;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code --write DIR} would do with an answer: for each code block that names a file, whether the file is
 * created, changed or already as the answer has it, with the diff against what is on disk. Nothing touches the disk
 * until {@link #apply()}.
 */
public final class WritePlan {

    public enum Action {
        CREATE, CHANGE, UNCHANGED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One file of the plan. {@code diff} is empty for an unchanged file. */
    public record FileChange(String path, Path target, Action action, String content, String diff,
                             UnifiedDiff.Stats stats) {
    }

    /** A path of the answer that may not be written, and why. */
    public record Refusal(String path, String reason) {
        @Override
        public String toString() {
            return path + " (" + reason + ")";
        }
    }

    private final PathGuard guard;
    private final List<FileChange> files;
    private final List<Refusal> refusals;

    private WritePlan(PathGuard guard, List<FileChange> files, List<Refusal> refusals) {
        this.guard = guard;
        this.files = List.copyOf(files);
        this.refusals = List.copyOf(refusals);
    }

    /**
     * Plans the blocks that name a path; when two blocks name the same file, the later one wins, as it would if
     * they were written one after the other.
     */
    public static WritePlan of(Path dir, List<CodeBlock> blocks) throws IOException {
        PathGuard guard = new PathGuard(dir);
        Map<String, FileChange> byPath = new LinkedHashMap<>();
        List<Refusal> refusals = new ArrayList<>();
        for (CodeBlock block : blocks) {
            if (!block.hasPath()) {
                continue;
            }
            PathGuard.Result where = guard.resolve(block.path());
            if (where.refused().isPresent()) {
                refusals.add(new Refusal(block.path(), where.refusal()));
                continue;
            }
            if (!block.closed()) {
                refusals.add(new Refusal(block.path(), "its code block is not closed: the answer was cut off"));
                continue;
            }
            String old = read(where.target(), block.path());
            Action action = old == null ? Action.CREATE : old.equals(block.content()) ? Action.UNCHANGED : Action.CHANGE;
            byPath.remove(where.relative());
            byPath.put(where.relative(), new FileChange(where.relative(), where.target(), action, block.content(),
                    UnifiedDiff.between(where.relative(), old, block.content()),
                    UnifiedDiff.stats(old, block.content())));
        }
        return new WritePlan(guard, new ArrayList<>(byPath.values()), refusals);
    }

    private static String read(Path target, String name) throws IOException {
        if (!Files.exists(target)) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(target)))
                    .toString();
        } catch (CharacterCodingException binary) {
            throw new IOException(name + " exists and is not UTF-8 text; not replacing it");
        }
    }

    public Path dir() {
        return guard.root();
    }

    public List<FileChange> files() {
        return files;
    }

    public List<Refusal> refusals() {
        return refusals;
    }

    /** The files that would change on disk. */
    public List<FileChange> changes() {
        return files.stream().filter(f -> f.action() != Action.UNCHANGED).toList();
    }

    /**
     * Writes every created or changed file, each atomically. Each path is checked again just before its write, so
     * a link planted since the plan was made is still refused.
     */
    public void apply() throws IOException {
        for (FileChange file : changes()) {
            PathGuard.Result where = guard.resolve(file.path());
            if (where.refused().isPresent()) {
                throw new IOException(file.path() + " " + where.refusal());
            }
            AtomicFiles.write(where.target(), file.content().getBytes(StandardCharsets.UTF_8));
        }
    }
}
