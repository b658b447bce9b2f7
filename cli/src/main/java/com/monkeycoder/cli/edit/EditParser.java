package com.monkeycoder.cli.edit;

import com.monkeycoder.cli.write.CodeBlock;
import com.monkeycoder.cli.write.CodeBlocks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the edits of an answer written for a model without tools (docs/editing.md): search/replace blocks
 * ({@code <<<<<<< SEARCH}, {@code =======}, {@code >>>>>>> REPLACE}) inside a fence, the file named in the fence's
 * info string or on the line before the fence; and new files whole, as a fence whose info string names the file.
 */
public final class EditParser {

    /** What an answer holds: the edits in the order written, and what could not be read (a block cut off, no file). */
    public record Parsed(List<Edit> edits, List<String> problems) {
    }

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})(.*)$");
    private static final Pattern SEARCH = Pattern.compile("^<{5,9} ?SEARCH\\s*$");
    private static final Pattern DIVIDER = Pattern.compile("^={5,9}\\s*$");
    private static final Pattern REPLACE = Pattern.compile("^>{5,9} ?REPLACE\\s*$");

    private EditParser() {
    }

    public static Parsed parse(String answer) {
        List<Edit> edits = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> lines = answer.lines().toList();
        String lastPath = null;
        for (int i = 0; i < lines.size(); i++) {
            if (!SEARCH.matcher(lines.get(i)).matches()) {
                continue;
            }
            String path = pathBefore(lines, i, lastPath);
            StringBuilder search = new StringBuilder();
            StringBuilder replace = new StringBuilder();
            int j = i + 1;
            while (j < lines.size() && !DIVIDER.matcher(lines.get(j)).matches()) {
                search.append(lines.get(j++)).append('\n');
            }
            j++;
            while (j < lines.size() && !REPLACE.matcher(lines.get(j)).matches()) {
                replace.append(lines.get(j++)).append('\n');
            }
            if (j >= lines.size()) {
                problems.add("the search/replace block at line " + (i + 1) + (path == null ? "" : " for " + path)
                        + " is not closed: the answer was cut off");
                break;
            }
            if (path == null) {
                problems.add("the search/replace block at line " + (i + 1) + " names no file: put the path on"
                        + " the line before its fence");
            } else if (search.isEmpty()) {
                edits.add(new Edit.Create(path, replace.toString())); // an empty search makes a new file
            } else {
                edits.add(new Edit.Replace(path, search.toString(), replace.toString()));
            }
            lastPath = path;
            i = j;
        }
        for (CodeBlock block : CodeBlocks.parse(answer)) {
            if (!block.hasPath() || block.content().lines().anyMatch(l -> SEARCH.matcher(l).matches())) {
                continue;
            }
            if (block.closed()) {
                edits.add(new Edit.Create(block.path(), block.content()));
            } else {
                problems.add(block.path() + ": its code block is not closed: the answer was cut off");
            }
        }
        return new Parsed(List.copyOf(edits), List.copyOf(problems));
    }

    /**
     * The file of the block starting at {@code search}: named in the info string of the fence just above, else on
     * the line above that fence; a block right after another one in the same fence is for the same file.
     */
    private static String pathBefore(List<String> lines, int search, String lastPath) {
        int above = search - 1;
        while (above >= 0 && lines.get(above).isBlank()) {
            above--;
        }
        if (above < 0) {
            return null;
        }
        if (REPLACE.matcher(lines.get(above)).matches()) {
            return lastPath;
        }
        Matcher fence = FENCE.matcher(lines.get(above));
        if (!fence.matches()) {
            return pathLine(lines.get(above));
        }
        String named = infoPath(lines.get(above), fence.group(1));
        if (named != null) {
            return named;
        }
        int before = above - 1;
        while (before >= 0 && lines.get(before).isBlank()) {
            before--;
        }
        return before < 0 ? null : pathLine(lines.get(before));
    }

    /** The path a fence's info string names, by the same rules as {@code --write} (CodeBlocks). */
    private static String infoPath(String fenceLine, String fence) {
        List<CodeBlock> blocks = CodeBlocks.parse(fenceLine + "\n" + fence + "\n");
        return blocks.isEmpty() ? null : blocks.getFirst().path();
    }

    /**
     * A line that holds only a path, possibly decorated as Markdown writes it ({@code ### src/a.py},
     * {@code **src/a.py**}, {@code `src/a.py`:}); the whole rest is the path, spaces included.
     */
    private static String pathLine(String line) {
        String path = line.strip().replaceFirst("^#+\\s*", "").replaceAll("^[*`'\"]+|[*`'\":]+$", "").strip();
        return path.isEmpty() ? null : path;
    }
}
