package com.monkeycoder.cli.commands;

import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.ExitException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt {@code monkey implement} sends: the task, then each attached file in a fenced block whose info string
 * names its language and path ({@code ```java src/Main.java}), the same convention the gateway asks models to answer
 * in, so an answer can name the same files back.
 */
final class TaskPrompt {

    /** Text given to the model as context: a file, or what was piped into stdin. */
    record Attachment(String label, String language, String text) {
    }

    private static final Pattern BACKTICKS = Pattern.compile("`{3,}");
    private static final Map<String, String> LANGUAGES = Map.ofEntries(
            Map.entry("java", "java"), Map.entry("kt", "kotlin"), Map.entry("py", "python"), Map.entry("js", "javascript"),
            Map.entry("mjs", "javascript"), Map.entry("ts", "typescript"), Map.entry("tsx", "tsx"), Map.entry("jsx", "jsx"),
            Map.entry("go", "go"), Map.entry("rs", "rust"), Map.entry("rb", "ruby"), Map.entry("c", "c"), Map.entry("h", "c"),
            Map.entry("cpp", "cpp"), Map.entry("cc", "cpp"), Map.entry("hpp", "cpp"), Map.entry("cs", "csharp"),
            Map.entry("sh", "bash"), Map.entry("bash", "bash"), Map.entry("zsh", "zsh"), Map.entry("fish", "fish"),
            Map.entry("sql", "sql"), Map.entry("md", "markdown"), Map.entry("json", "json"), Map.entry("yaml", "yaml"),
            Map.entry("yml", "yaml"), Map.entry("toml", "toml"), Map.entry("xml", "xml"), Map.entry("html", "html"),
            Map.entry("css", "css"), Map.entry("diff", "diff"), Map.entry("patch", "diff"), Map.entry("php", "php"),
            Map.entry("swift", "swift"), Map.entry("scala", "scala"), Map.entry("lua", "lua"), Map.entry("txt", "text"));

    private TaskPrompt() {
    }

    static String compose(String task, List<Attachment> attachments) {
        if (attachments.isEmpty()) {
            return task;
        }
        StringBuilder prompt = new StringBuilder(task).append("\n\n");
        prompt.append(attachments.size() == 1 ? "Context:" : "Context, " + attachments.size() + " parts:").append('\n');
        for (Attachment a : attachments) {
            String fence = fenceFor(a.text());
            prompt.append('\n').append(fence).append(a.language()).append(' ').append(a.label()).append('\n');
            prompt.append(a.text());
            if (!a.text().endsWith("\n")) {
                prompt.append('\n');
            }
            prompt.append(fence).append('\n');
        }
        return prompt.toString();
    }

    /** Reads {@code shownAs} as UTF-8 text; anything else is a usage error that names the file. */
    static Attachment file(Path path, String shownAs) {
        if (Files.isDirectory(path)) {
            throw new ExitException(ExitCodes.USAGE, "cannot attach " + shownAs + ": it is a folder; attach its files with -f each");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ExitException(ExitCodes.USAGE, "cannot attach " + shownAs + ": no such file");
        } catch (IOException e) {
            throw new ExitException(ExitCodes.USAGE, "cannot attach " + shownAs + ": " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = null;
        }
        if (text == null || text.indexOf('\0') >= 0) {
            throw new ExitException(ExitCodes.USAGE, "cannot attach " + shownAs + ": it is not UTF-8 text");
        }
        String label = shownAs.replace('\\', '/');
        return new Attachment(label, languageOf(label), text);
    }

    static Attachment stdin(String text) {
        return new Attachment("(stdin)", text.startsWith("diff --git") || text.startsWith("--- ") ? "diff" : "text", text);
    }

    private static String languageOf(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot < name.lastIndexOf('/')) {
            return "text";
        }
        return LANGUAGES.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), "text");
    }

    /** A backtick fence longer than any run of backticks in the text, so the text cannot close it early. */
    private static String fenceFor(String text) {
        int longest = 2;
        Matcher m = BACKTICKS.matcher(text);
        while (m.find()) {
            longest = Math.max(longest, m.group().length());
        }
        return "`".repeat(longest + 1);
    }
}
