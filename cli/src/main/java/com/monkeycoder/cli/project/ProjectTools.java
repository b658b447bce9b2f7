package com.monkeycoder.cli.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.shared.Json;
import com.monkeycoder.shared.wire.ToolDefinition;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The read-only tools a model explores a project with: {@code list_files}, {@code read_file} and
 * {@code search_text}. Every path goes through {@link ProjectRoot}, so nothing outside the project or inside its
 * version-control metadata is ever read.
 */
public final class ProjectTools {

    /** Files larger than this are not read even in part, nor searched: no source file is this big. */
    static final long MAX_SCANNED_FILE_BYTES = 16L * 1024 * 1024;
    static final int MAX_LISTED = 1_000;
    static final int MAX_MATCHES = 100;
    static final int MAX_MATCH_LINE_CHARS = 300;
    /** A model's regular expression may backtrack without end; it gets this long for one search. */
    static final Duration REGEX_TIME = Duration.ofSeconds(5);
    private static final int BINARY_SNIFF_BYTES = 8 * 1024;

    private final ProjectRoot root;
    private final int maxFileBytes;
    private final Duration regexTime;

    /** @param maxFileBytes files over this are read by line range only (the budget's result cap) */
    public ProjectTools(ProjectRoot root, int maxFileBytes) {
        this(root, maxFileBytes, REGEX_TIME);
    }

    ProjectTools(ProjectRoot root, int maxFileBytes, Duration regexTime) {
        this.root = root;
        this.maxFileBytes = maxFileBytes;
        this.regexTime = regexTime;
    }

    public ProjectTools(ProjectRoot root, ToolBudget budget) {
        this(root, budget.maxResultBytes());
    }

    /** The three tools, ready for a {@link Toolbox}. */
    public List<Tool> tools() {
        return List.of(
                tool(LIST_FILES, a -> listFiles(a.optionalString("folder"), a.optionalString("glob"))),
                tool(READ_FILE, a -> readFile(a.string("path"), a.optionalInt("start_line"), a.optionalInt("end_line"))),
                tool(SEARCH_TEXT, a -> searchText(a.string("query"), a.flag("regex"), a.optionalString("glob"))));
    }

    /** The project's files (under {@code folder}, matching {@code glob}), one path a line, as read_file takes them. */
    public ToolResult listFiles(String folder, String glob) {
        ProjectRoot.Location where = root.folder(folder);
        if (where instanceof ProjectRoot.Location.Refused refused) {
            return ToolResult.error(refused.message());
        }
        String prefix = ((ProjectRoot.Location.Inside) where).relative();
        Predicate<String> matches;
        try {
            matches = globFilter(glob);
        } catch (IllegalArgumentException e) {
            return ToolResult.error("glob '" + glob + "' is not a valid pattern: " + e.getMessage());
        }
        List<String> files;
        try {
            files = ProjectFiles.list(root).stream()
                    .filter(f -> prefix.isEmpty() || f.startsWith(prefix + "/"))
                    .filter(matches).toList();
        } catch (IOException e) {
            return ToolResult.error("could not list the files: " + e.getMessage());
        }
        if (files.isEmpty()) {
            return ToolResult.ok("No files" + (prefix.isEmpty() ? "" : " under " + prefix)
                    + (glob == null ? "" : " match " + glob) + ".");
        }
        StringBuilder out = new StringBuilder();
        files.stream().limit(MAX_LISTED).forEach(f -> out.append(f).append('\n'));
        if (files.size() > MAX_LISTED) {
            out.append("[").append(files.size() - MAX_LISTED).append(" more files not listed: narrow with folder or glob]\n");
        }
        return ToolResult.ok(out.toString());
    }

    /** A text file, whole or lines {@code startLine..endLine} (1-based, inclusive). */
    public ToolResult readFile(String path, Integer startLine, Integer endLine) {
        if (startLine != null && startLine < 1 || endLine != null && endLine < 1
                || startLine != null && endLine != null && endLine < startLine) {
            return ToolResult.error("read_file: lines are numbered from 1 and end_line must not be before start_line");
        }
        ProjectRoot.Location where = root.file(path);
        if (where instanceof ProjectRoot.Location.Refused refused) {
            return ToolResult.error(refused.message());
        }
        ProjectRoot.Location.Inside file = (ProjectRoot.Location.Inside) where;
        try {
            if (!Files.isRegularFile(file.path())) {
                return ToolResult.error(file.relative() + " does not exist (list_files shows the files there are)");
            }
            long size = Files.size(file.path());
            if (isBinary(file.path())) {
                return ToolResult.error(file.relative() + " is a binary file; only text files can be read");
            }
            boolean whole = startLine == null && endLine == null;
            if (whole && size > maxFileBytes || size > MAX_SCANNED_FILE_BYTES) {
                return ToolResult.error(file.relative() + " is " + size / 1024 + " KiB, more than the "
                        + maxFileBytes / 1024 + " KiB one read may return" + (size > MAX_SCANNED_FILE_BYTES
                        ? " and too large to read at all" : ": read a line range with start_line and end_line,"
                        + " or find the place first with search_text"));
            }
            int first = startLine == null ? 1 : startLine;
            int last = endLine == null ? Integer.MAX_VALUE : endLine;
            StringBuilder text = new StringBuilder();
            int lineNumber = 0;
            try (BufferedReader reader = reader(file.path())) {
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    // Lines past what one result can hold are counted, not kept: the budget cuts the result anyway.
                    if (lineNumber >= first && lineNumber <= last && text.length() <= maxFileBytes) {
                        text.append(line).append('\n');
                    }
                }
            }
            if (whole) {
                return ToolResult.ok(file.relative() + " (" + lineNumber + " lines):\n" + text);
            }
            if (first > lineNumber) {
                return ToolResult.error(file.relative() + " has only " + lineNumber + " lines");
            }
            return ToolResult.ok(file.relative() + " lines " + first + "-" + Math.min(last, lineNumber) + " of "
                    + lineNumber + ":\n" + text);
        } catch (IOException e) {
            return ToolResult.error(file.relative() + " could not be read: " + e.getMessage());
        }
    }

    /** Lines containing {@code query} (a literal, or a Java regular expression when {@code regex}) as path:line: text. */
    public ToolResult searchText(String query, boolean regex, String glob) {
        if (query.isEmpty()) {
            return ToolResult.error("search_text: the query is empty");
        }
        Predicate<String> matchesPath;
        Pattern pattern;
        try {
            matchesPath = globFilter(glob);
            pattern = regex ? Pattern.compile(query) : null;
        } catch (PatternSyntaxException e) {
            return ToolResult.error("search_text: not a valid regular expression: " + e.getDescription());
        } catch (IllegalArgumentException e) {
            return ToolResult.error("glob '" + glob + "' is not a valid pattern: " + e.getMessage());
        }
        long deadline = System.nanoTime() + regexTime.toNanos();
        StringBuilder out = new StringBuilder();
        int matches = 0;
        try {
            for (String relative : ProjectFiles.list(root)) {
                if (!matchesPath.test(relative)) {
                    continue;
                }
                if (!(root.file(relative) instanceof ProjectRoot.Location.Inside file)
                        || !Files.isRegularFile(file.path()) || Files.size(file.path()) > MAX_SCANNED_FILE_BYTES
                        || isBinary(file.path())) {
                    continue; // links out of the project, binaries and giants are not searched
                }
                try (BufferedReader reader = reader(file.path())) {
                    String line;
                    int number = 0;
                    while ((line = reader.readLine()) != null) {
                        number++;
                        boolean found = pattern == null ? line.contains(query)
                                : pattern.matcher(new Deadline(line, deadline)).find();
                        if (found && ++matches <= MAX_MATCHES) {
                            out.append(relative).append(':').append(number).append(": ")
                                    .append(line.length() > MAX_MATCH_LINE_CHARS
                                            ? line.substring(0, MAX_MATCH_LINE_CHARS) + "..." : line).append('\n');
                        }
                    }
                }
            }
        } catch (Deadline.Passed | StackOverflowError e) {
            return ToolResult.error("search_text: the regular expression is too costly to run (it " + (e instanceof
                    Deadline.Passed ? "took longer than " + regexTime.toMillis() + " ms" : "nests too deeply")
                    + "); use a simpler one or a literal query");
        } catch (IOException e) {
            return ToolResult.error("search_text failed: " + e.getMessage());
        }
        if (matches == 0) {
            return ToolResult.ok("No matches for " + (regex ? "the regular expression " : "") + "'" + query + "'"
                    + (glob == null ? "" : " in " + glob) + ".");
        }
        if (matches > MAX_MATCHES) {
            out.append("[").append(matches - MAX_MATCHES).append(" more matches not shown: narrow the query or glob]\n");
        }
        return ToolResult.ok(out.toString());
    }

    /**
     * A glob without '/' matches the file name anywhere ({@code *.java}); one with '/' matches the whole relative
     * path ({@code src/**}, {@code docs/*.md}).
     */
    static final int MAX_GLOB_CHARS = 200;
    static final int MAX_GLOB_WILDCARDS = 6;

    private static Predicate<String> globFilter(String glob) {
        if (glob == null || glob.isBlank()) {
            return f -> true;
        }
        // The JDK turns a glob into a regular expression, which backtracks: a pattern such as *a*a*a*a*a*a*a*a*b
        // takes seconds per file name and minutes on a long one. Real globs have a few wildcards.
        long wildcards = glob.chars().filter(c -> c == '*' || c == '?').count();
        if (glob.length() > MAX_GLOB_CHARS || wildcards > MAX_GLOB_WILDCARDS) {
            throw new IllegalArgumentException("at most " + MAX_GLOB_WILDCARDS + " wildcards (* and ?) and "
                    + MAX_GLOB_CHARS + " characters");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.strip());
        boolean wholePath = glob.contains("/");
        return f -> matcher.matches(Path.of(wholePath ? f : f.substring(f.lastIndexOf('/') + 1)));
    }

    private static boolean isBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(BINARY_SNIFF_BYTES);
            for (byte b : head) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** UTF-8, with bytes that are not shown as U+FFFD rather than failing the read. */
    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)));
    }

    /** Text a regular expression runs over, which stops the match once its time is up. */
    private static final class Deadline implements CharSequence {

        static final class Passed extends RuntimeException {
            Passed() {
                super(null, null, false, false);
            }
        }

        private final CharSequence text;
        private final long deadlineNanos;
        private int reads;

        Deadline(CharSequence text, long deadlineNanos) {
            this.text = text;
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public char charAt(int index) {
            // Every read counts, not the index: backtracking reads the same few characters over and over.
            if ((++reads & 0x3FF) == 0 && System.nanoTime() > deadlineNanos) {
                throw new Passed();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.subSequence(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private interface Call {
        ToolResult run(ToolArguments arguments);
    }

    private static Tool tool(ToolDefinition definition, Call call) {
        return new Tool() {
            @Override
            public ToolDefinition definition() {
                return definition;
            }

            @Override
            public ToolResult call(ToolArguments arguments) {
                return call.run(arguments);
            }
        };
    }

    static ToolDefinition definition(String name, String description, String parametersJson) {
        try {
            JsonNode parameters = Json.mapper().readTree(parametersJson);
            return new ToolDefinition(name, description, parameters);
        } catch (IOException e) {
            throw new IllegalStateException("tool schema of " + name + " is not JSON", e);
        }
    }

    static final ToolDefinition LIST_FILES = definition("list_files",
            "List the project's files (ignored files, such as those in .gitignore, are left out), one path a line."
                    + " Paths are relative to the project folder, as read_file takes them.",
            """
            {"type":"object","properties":{
              "folder":{"type":"string","description":"Only files under this folder, relative to the project"},
              "glob":{"type":"string","description":"Only files matching this glob: '*.java' matches file names, 'src/**/*.ts' whole paths"}
            },"additionalProperties":false}""");

    static final ToolDefinition READ_FILE = definition("read_file",
            "Read a text file of the project, whole or a range of lines. Large files can only be read by line range.",
            """
            {"type":"object","properties":{
              "path":{"type":"string","description":"The file's path relative to the project folder"},
              "start_line":{"type":"integer","minimum":1,"description":"First line to read (1-based)"},
              "end_line":{"type":"integer","minimum":1,"description":"Last line to read (inclusive)"}
            },"required":["path"],"additionalProperties":false}""");

    static final ToolDefinition SEARCH_TEXT = definition("search_text",
            "Search the project's text files for a string and list the matching lines as path:line: text.",
            """
            {"type":"object","properties":{
              "query":{"type":"string","description":"The text to find (exact, case-sensitive)"},
              "regex":{"type":"boolean","description":"Treat query as a Java regular expression, e.g. '(?i)todo' (default false)"},
              "glob":{"type":"string","description":"Only files matching this glob: '*.java' matches file names, 'src/**' whole paths"}
            },"required":["query"],"additionalProperties":false}""");
}
