package com.monkeycoder.cli.edit;

import com.monkeycoder.cli.project.ProjectRoot;
import com.monkeycoder.cli.write.AtomicFiles;
import com.monkeycoder.cli.write.UnifiedDiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a set of edits does to a project: each file created, edited or left unchanged, with its old and new content
 * and a unified diff. The edits are applied in memory, in order; if any one cannot be applied exactly (a search
 * block that occurs 0 or several times, two edits that overlap, a create and an edit of one file), the whole set is
 * refused before anything is written. {@link #apply()} then writes all the files or none.
 */
public final class EditPlan {

    public enum Action {
        CREATE, EDIT, UNCHANGED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One file of the plan.
     *
     * @param oldContent null for a file that does not exist yet
     * @param diff       unified diff, empty for an unchanged file
     */
    public record FileChange(String path, Path target, Action action, String oldContent, String newContent,
                             String diff, UnifiedDiff.Stats stats) {
    }

    /** Renames a staged file into place; replaced in tests to fail part-way. */
    @FunctionalInterface
    interface Mover {
        void move(Path staged, Path target) throws IOException;
    }

    /** Source files are far smaller; a larger one is not something to edit through a model. */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    private static final int SHOWN_LINE_CHARS = 120;

    private final ProjectRoot root;
    private final List<FileChange> files;
    private final Mover mover;

    private EditPlan(ProjectRoot root, List<FileChange> files, Mover mover) {
        this.root = root;
        this.files = List.copyOf(files);
        this.mover = mover;
    }

    /** Applies {@code edits} in memory, in order, or refuses them all with every reason found. */
    public static EditPlan build(ProjectRoot root, List<Edit> edits) throws EditRejected {
        Map<String, FileState> states = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            Edit edit = edits.get(i);
            String label = "edit " + (i + 1);
            ProjectRoot.Location location = root.file(edit.path());
            if (location instanceof ProjectRoot.Location.Refused refused) {
                problems.add(refused.message() + " (" + label + ")");
                continue;
            }
            ProjectRoot.Location.Inside where = (ProjectRoot.Location.Inside) location;
            FileState state = states.get(where.relative());
            if (state == null) {
                try {
                    state = new FileState(where.relative(), where.path(), read(where.path(), where.relative()));
                } catch (IOException e) {
                    problems.add(e.getMessage() + " (" + label + ")");
                    continue;
                }
                states.put(where.relative(), state);
            }
            String problem = switch (edit) {
                case Edit.Create create -> state.create(create, label);
                case Edit.Replace replace -> state.replace(replace, label);
            };
            if (problem != null) {
                problems.add(problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new EditRejected(problems);
        }
        List<FileChange> files = new ArrayList<>();
        for (FileState s : states.values()) {
            Action action = s.original == null ? Action.CREATE : s.original.equals(s.current) ? Action.UNCHANGED
                    : Action.EDIT;
            files.add(new FileChange(s.relative, s.target, action, s.original, s.current,
                    UnifiedDiff.between(s.relative, s.original, s.current), UnifiedDiff.stats(s.original, s.current)));
        }
        return new EditPlan(root, files, EditPlan::rename);
    }

    /** Every file the edits name, in the order first named. */
    public List<FileChange> files() {
        return files;
    }

    /** The files that would change on disk. */
    public List<FileChange> changes() {
        return files.stream().filter(f -> f.action() != Action.UNCHANGED).toList();
    }

    /** The diff of the whole plan, file after file. */
    public String diff() {
        StringBuilder out = new StringBuilder();
        changes().forEach(f -> out.append(f.diff()));
        return out.toString();
    }

    EditPlan withMover(Mover mover) {
        return new EditPlan(root, files, mover);
    }

    /**
     * Writes every changed file, or none. Each path is checked again and each file must still hold what the plan
     * was made from (a user may have saved it meanwhile); every new content is then staged in a temporary file next
     * to its target, and only when all are staged are they renamed into place. A failure while staging deletes the
     * temporary files and any folder made for them; a failed rename (rare: same folder) puts the files renamed so
     * far back as they were.
     */
    public void apply() throws IOException {
        List<FileChange> changes = changes();
        for (FileChange change : changes) {
            ProjectRoot.Location where = root.file(change.path());
            if (!(where instanceof ProjectRoot.Location.Inside inside) || !inside.path().equals(change.target())) {
                throw new IOException(change.path() + " now leads elsewhere (" + (where instanceof
                        ProjectRoot.Location.Refused r ? r.reason() : "a link changed") + "); nothing was written");
            }
            if (!Objects.equals(read(change.target(), change.path()), change.oldContent())) {
                throw new IOException(change.path() + " changed on disk after the plan was made; nothing was written");
            }
        }
        List<Path> madeFolders = new ArrayList<>();
        List<Path> staged = new ArrayList<>();
        try {
            for (FileChange change : changes) {
                staged.add(stage(change, madeFolders));
            }
        } catch (IOException e) {
            deleteQuietly(staged);
            deleteQuietly(madeFolders.reversed());
            throw new IOException("nothing was written: " + e.getMessage(), e);
        }
        int renamed = 0;
        try {
            for (; renamed < changes.size(); renamed++) {
                mover.move(staged.get(renamed), changes.get(renamed).target());
            }
        } catch (IOException e) {
            deleteQuietly(staged.subList(renamed, staged.size()));
            List<String> notRestored = restore(changes.subList(0, renamed));
            if (notRestored.isEmpty()) {
                deleteQuietly(madeFolders.reversed());
            }
            throw new IOException("writing " + changes.get(renamed).path() + " failed (" + e.getMessage() + "); "
                    + (notRestored.isEmpty() ? "the files written before it were put back, nothing changed"
                    : "these could not be put back: " + String.join(", ", notRestored)), e);
        }
    }

    private static Path stage(FileChange change, List<Path> madeFolders) throws IOException {
        Path folder = change.target().getParent();
        List<Path> missing = new ArrayList<>();
        for (Path p = folder; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.addFirst(p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
            madeFolders.add(p);
        }
        Path temp = folder.resolve("." + change.target().getFileName() + ".monkey-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + AtomicFiles.TEMP_SUFFIX);
        // CREATE_NEW without explicit permissions: a new file gets the user's umask (0644 with the usual 022).
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(change.newContent().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        if (view != null && change.oldContent() != null) {
            try {
                view.setPermissions(Files.getPosixFilePermissions(change.target())); // an edited file keeps its mode
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
        }
        return temp;
    }

    private static void rename(Path staged, Path target) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Puts renamed files back as they were; returns the paths that could not be. */
    private static List<String> restore(List<FileChange> renamed) {
        List<String> failed = new ArrayList<>();
        for (FileChange change : renamed.reversed()) {
            try {
                if (change.oldContent() == null) {
                    Files.deleteIfExists(change.target());
                } else {
                    AtomicFiles.write(change.target(), change.oldContent().getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                failed.add(change.path());
            }
        }
        return failed;
    }

    private static void deleteQuietly(List<Path> paths) {
        for (Path p : paths) {
            try {
                Files.deleteIfExists(p); // a folder that is not empty stays, as it should
            } catch (IOException ignored) {
                // best effort: what could not be removed is harmless (a temp file or an empty folder)
            }
        }
    }

    /** The file's text, or null when it does not exist. */
    private static String read(Path target, String name) throws IOException {
        if (!Files.exists(target)) {
            return null;
        }
        if (!Files.isRegularFile(target)) {
            throw new IOException(name + " is not a regular file");
        }
        if (Files.size(target) > MAX_FILE_BYTES) {
            throw new IOException(name + " is larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB; not edited");
        }
        byte[] bytes = Files.readAllBytes(target);
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                throw new IOException(name + " is a binary file; not edited");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(name + " is not UTF-8 text; not edited");
        }
    }

    /** One file while the edits are applied in memory: its content so far and the spans earlier edits wrote. */
    private static final class FileState {

        final String relative;
        final Path target;
        final String original;
        String current;
        /** Spans [start, end) of {@link #current} that earlier edits wrote; a later edit may not touch them. */
        final List<int[]> written = new ArrayList<>();
        String createdBy;
        String editedBy;

        FileState(String relative, Path target, String original) {
            this.relative = relative;
            this.target = target;
            this.original = original;
            this.current = original;
        }

        String create(Edit.Create create, String label) {
            if (createdBy != null) {
                return relative + ": " + label + " creates it again after " + createdBy + "; give one whole content";
            }
            if (editedBy != null) {
                return relative + ": " + label + " creates it, but " + editedBy + " edits it; an existing file is"
                        + " changed by search/replace edits only";
            }
            createdBy = label;
            if (original == null) {
                current = create.content();
                return null;
            }
            return original.equals(create.content()) ? null : relative + ": " + label + " creates it, but it"
                    + " already exists with other content; change it with search/replace edits";
        }

        String replace(Edit.Replace replace, String label) {
            if (createdBy != null) {
                return relative + ": " + label + " edits the file " + createdBy + " creates; put the change in its"
                        + " whole content instead";
            }
            if (original == null) {
                return relative + ": " + label + " edits a file that does not exist; give a new file's whole content";
            }
            editedBy = editedBy == null ? label : editedBy;
            String search = replace.search();
            String replacement = replace.replace() == null ? "" : replace.replace();
            if (search == null || search.isEmpty()) {
                return relative + ": " + label + " has an empty search block";
            }
            if (current.contains("\r\n") && !search.contains("\r")) {
                // A model writes '\n'; a file with Windows line ends keeps them.
                search = search.replace("\n", "\r\n");
                replacement = replacement.replace("\r\n", "\n").replace("\n", "\r\n");
            }
            int at = current.indexOf(search);
            if (at < 0) {
                return relative + ": the search block of " + label + " matches nothing; " + firstMismatch(search);
            }
            int count = occurrences(current, search);
            if (count > 1) {
                return relative + ": the search block of " + label + " matches " + count + " times (it must match"
                        + " once; add surrounding lines); it begins: " + shown(search.lines().findFirst().orElse(""));
            }
            int end = at + search.length();
            for (int[] span : written) {
                if (at < span[1] && span[0] < end) { // half-open spans; an empty one counts when strictly inside
                    return relative + ": " + label + " overlaps the text an earlier edit wrote; merge the two edits";
                }
            }
            int delta = replacement.length() - search.length();
            for (int[] span : written) {
                if (span[0] >= end) {
                    span[0] += delta;
                    span[1] += delta;
                }
            }
            written.add(new int[]{at, at + replacement.length()});
            current = current.substring(0, at) + replacement + current.substring(end);
            return null;
        }

        /** The first line of the search block from which it no longer matches, or the first line found nowhere. */
        private String firstMismatch(String search) {
            List<String> lines = search.lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (!current.contains(lines.get(i))) {
                    return "its line " + (i + 1) + " is not in the file: " + shown(lines.get(i));
                }
            }
            StringBuilder prefix = new StringBuilder();
            String separator = current.contains("\r\n") ? "\r\n" : "\n";
            for (int i = 0; i < lines.size(); i++) {
                prefix.append(i == 0 ? "" : separator).append(lines.get(i));
                if (!current.contains(prefix)) {
                    return "its lines occur in the file, but not in this order from line " + (i + 1) + ": "
                            + shown(lines.get(i));
                }
            }
            return "it differs from the file in its line ends or at its very end";
        }

        private static int occurrences(String text, String search) {
            int count = 0;
            for (int i = text.indexOf(search); i >= 0; i = text.indexOf(search, i + 1)) {
                count++;
            }
            return count;
        }

        private static String shown(String line) {
            String stripped = line.strip();
            return "'" + (stripped.length() > SHOWN_LINE_CHARS ? stripped.substring(0, SHOWN_LINE_CHARS) + "..."
                    : stripped) + "'";
        }
    }
}
