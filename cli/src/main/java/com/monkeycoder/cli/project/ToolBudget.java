package com.monkeycoder.cli.project;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * How much exploring one run may do: tool calls, bytes of project content handed to the model in total, and bytes
 * in one result. The bytes counted are those the model receives (they are what fills its context and costs money);
 * a result is cut to what is left, with a note saying so. Shared by the calls of one run, which a model may make in
 * parallel.
 */
public final class ToolBudget {

    public static final int DEFAULT_MAX_CALLS = 40;
    public static final long DEFAULT_MAX_BYTES_READ = 1024 * 1024;
    public static final int DEFAULT_MAX_RESULT_BYTES = 64 * 1024;

    private final int maxCalls;
    private final long maxBytesRead;
    private final int maxResultBytes;
    private int calls;
    private long bytesRead;

    public ToolBudget(int maxCalls, long maxBytesRead, int maxResultBytes) {
        if (maxCalls < 0 || maxBytesRead < 0 || maxResultBytes < 1) {
            throw new IllegalArgumentException("tool budget limits must be positive");
        }
        this.maxCalls = maxCalls;
        this.maxBytesRead = maxBytesRead;
        this.maxResultBytes = maxResultBytes;
    }

    public static ToolBudget defaults() {
        return new ToolBudget(DEFAULT_MAX_CALLS, DEFAULT_MAX_BYTES_READ, DEFAULT_MAX_RESULT_BYTES);
    }

    public int maxCalls() {
        return maxCalls;
    }

    public int maxResultBytes() {
        return maxResultBytes;
    }

    public synchronized int calls() {
        return calls;
    }

    public synchronized long bytesRead() {
        return bytesRead;
    }

    /** Counts one call, or says why it may not be made. */
    synchronized Optional<String> startCall() {
        if (calls >= maxCalls || bytesRead >= maxBytesRead) {
            String spent = calls >= maxCalls ? maxCalls + " tool calls" : size(maxBytesRead) + " read";
            return Optional.of("The exploring budget of this run is spent (" + spent + "). Stop exploring: propose"
                    + " your edits now with what you have read.");
        }
        calls++;
        return Optional.empty();
    }

    /** The result as the model may receive it: cut to the per-result cap and what is left, then counted. */
    synchronized ToolResult charge(ToolResult result) {
        if (result.isError()) {
            return result;
        }
        long room = Math.min(maxResultBytes, maxBytesRead - bytesRead);
        byte[] bytes = result.text().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= room) {
            bytesRead += bytes.length;
            return result;
        }
        String kept = cut(result.text(), (int) room);
        int keptBytes = kept.getBytes(StandardCharsets.UTF_8).length;
        boolean runSpent = room < maxResultBytes;
        // Once a result had to be cut for the run's budget, the budget is spent: the next call is refused outright.
        bytesRead = runSpent ? maxBytesRead : bytesRead + keptBytes;
        String why = runSpent ? "the run's reading budget is spent" : "a result holds at most " + size(maxResultBytes);
        return new ToolResult(kept + (kept.endsWith("\n") || kept.isEmpty() ? "" : "\n") + "[cut here: " + why
                + "; read a line range or narrow the search]", false, keptBytes);
    }

    private static String size(long bytes) {
        return bytes < 1024 ? bytes + " bytes" : bytes / 1024 + " KiB";
    }

    /** The longest prefix of whole lines within {@code room} bytes (or of characters, when one line is longer). */
    private static String cut(String text, int room) {
        int bytes = 0;
        int end = 0;
        int lastLineEnd = -1;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > room) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
            if (cp == '\n') {
                lastLineEnd = end;
            }
        }
        return text.substring(0, lastLineEnd > 0 ? lastLineEnd : end);
    }
}
