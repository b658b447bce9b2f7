package com.monkeycoder.cli.git;

import com.monkeycoder.shared.Version;

import java.util.List;

/**
 * The message of a commit {@code monkey} makes: a subject line of at most 72 characters, the rest of the text as
 * the body, and two trailers, {@code Monkey-Coder-Model} naming the model that wrote the change and
 * {@code Monkey-Coder} (the version), by which {@code monkey undo} recognises its own commits.
 */
public record CommitMessage(String subject, String body, String model) {

    public static final int SUBJECT_MAX = 72;
    /** The trailer that marks a commit as made by {@code monkey}. */
    public static final String MARKER_TRAILER = "Monkey-Coder";
    public static final String MODEL_TRAILER = "Monkey-Coder-Model";

    private static final String DEFAULT_SUBJECT = "Apply changes proposed by monkey";

    /**
     * A message from free text (typically the first lines of a model's answer): its first non-blank line, stripped
     * of Markdown decoration, becomes the subject, cut at a word when longer than 72 characters (the whole line
     * then opens the body); the lines after it are the body.
     */
    public static CommitMessage of(String text, String model) {
        List<String> lines = text == null ? List.of() : text.strip().lines().toList();
        if (lines.isEmpty()) {
            return new CommitMessage(DEFAULT_SUBJECT, "", model);
        }
        String first = undecorated(lines.getFirst());
        String rest = String.join("\n", lines.subList(1, lines.size())).strip();
        if (first.isEmpty()) {
            return new CommitMessage(DEFAULT_SUBJECT, rest, model);
        }
        if (first.length() <= SUBJECT_MAX) {
            return new CommitMessage(first, rest, model);
        }
        String cut = first.substring(0, SUBJECT_MAX - 3);
        int space = cut.lastIndexOf(' ');
        String subject = (space > SUBJECT_MAX / 2 ? cut.substring(0, space) : cut).stripTrailing() + "...";
        return new CommitMessage(subject, (first + "\n\n" + rest).strip(), model);
    }

    /** The full text given to {@code git commit}: subject, blank line, body, blank line, trailers. */
    public String text() {
        StringBuilder out = new StringBuilder(subject).append("\n\n");
        if (!body.isBlank()) {
            out.append(body.strip()).append("\n\n");
        }
        out.append(MODEL_TRAILER).append(": ").append(oneLine(model)).append('\n');
        out.append(MARKER_TRAILER).append(": ").append(Version.current()).append('\n');
        return out.toString();
    }

    private static String undecorated(String line) {
        return line.strip().replaceFirst("^(#+|[-*>]|\\d+\\.)\\s+", "").replace("**", "").replace("`", "").strip();
    }

    private static String oneLine(String value) {
        return value == null || value.isBlank() ? "unknown" : value.strip().replaceAll("\\s+", " ");
    }
}
