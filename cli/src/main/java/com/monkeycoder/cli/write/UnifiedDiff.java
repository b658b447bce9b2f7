package com.monkeycoder.cli.write;

import java.util.ArrayList;
import java.util.List;

/**
 * Unified diffs ({@code diff -u}, as git prints them) between two texts, by Myers' O(ND) algorithm after the common
 * head and tail are set aside. When finding the shortest diff would take more than about 16 MB, the middle is shown as
 * replaced wholesale: still a correct diff, without the cost of the shortest one.
 */
public final class UnifiedDiff {

    private static final long MAX_TRACE_INTS = 4_000_000L;
    private static final int CONTEXT = 3;

    private enum Kind { KEEP, DELETE, INSERT }

    private record Edit(Kind kind, int oldIndex, int newIndex) {
    }

    /** Counts of a diff, for a plan's summary. */
    public record Stats(int added, int removed) {
    }

    private UnifiedDiff() {
    }

    /**
     * The diff of {@code oldText} (null: the file does not exist) against {@code newText}; empty when they are equal.
     */
    public static String between(String path, String oldText, String newText) {
        List<String> a = lines(oldText == null ? "" : oldText);
        List<String> b = lines(newText);
        List<Edit> edits = edits(a, b);
        if (edits.stream().allMatch(e -> e.kind == Kind.KEEP)) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(oldText == null ? "/dev/null" : "a/" + path).append('\n');
        out.append("+++ ").append("b/").append(path).append('\n');
        for (int start = 0; start < edits.size(); ) {
            int firstChange = indexOfChange(edits, start);
            if (firstChange < 0) {
                break;
            }
            int hunkStart = Math.max(start, firstChange - CONTEXT);
            int hunkEnd = firstChange; // exclusive; grows while changes are close enough to share context
            int keepsSince = 0;
            for (int i = firstChange; i < edits.size(); i++) {
                if (edits.get(i).kind == Kind.KEEP) {
                    keepsSince++;
                    if (keepsSince > 2 * CONTEXT) {
                        break;
                    }
                } else {
                    keepsSince = 0;
                    hunkEnd = i + 1;
                }
            }
            hunkEnd = Math.min(edits.size(), hunkEnd + CONTEXT);
            appendHunk(out, edits.subList(hunkStart, hunkEnd), a, b);
            start = hunkEnd;
        }
        return out.toString();
    }

    public static Stats stats(String oldText, String newText) {
        int added = 0;
        int removed = 0;
        for (Edit e : edits(lines(oldText == null ? "" : oldText), lines(newText))) {
            if (e.kind == Kind.INSERT) {
                added++;
            } else if (e.kind == Kind.DELETE) {
                removed++;
            }
        }
        return new Stats(added, removed);
    }

    private static int indexOfChange(List<Edit> edits, int from) {
        for (int i = from; i < edits.size(); i++) {
            if (edits.get(i).kind != Kind.KEEP) {
                return i;
            }
        }
        return -1;
    }

    private static void appendHunk(StringBuilder out, List<Edit> hunk, List<String> a, List<String> b) {
        int oldStart = -1;
        int newStart = -1;
        int oldCount = 0;
        int newCount = 0;
        int oldBefore = 0;
        int newBefore = 0;
        for (Edit e : hunk) {
            if (e.kind != Kind.INSERT) {
                oldCount++;
                if (oldStart < 0) {
                    oldStart = e.oldIndex;
                }
            } else {
                oldBefore = Math.max(oldBefore, e.oldIndex);
            }
            if (e.kind != Kind.DELETE) {
                newCount++;
                if (newStart < 0) {
                    newStart = e.newIndex;
                }
            } else {
                newBefore = Math.max(newBefore, e.newIndex);
            }
        }
        out.append("@@ -").append(range(oldStart, oldCount, oldBefore)).append(" +")
                .append(range(newStart, newCount, newBefore)).append(" @@\n");
        for (Edit e : hunk) {
            switch (e.kind) {
                case KEEP -> appendLine(out, ' ', a.get(e.oldIndex));
                case DELETE -> appendLine(out, '-', a.get(e.oldIndex));
                case INSERT -> appendLine(out, '+', b.get(e.newIndex));
            }
        }
    }

    /** GNU and git conventions: 1-based start, count left out when 1; an empty range names the line before it. */
    private static String range(int start, int count, int indexWhenEmpty) {
        if (count == 0) {
            return indexWhenEmpty + ",0";
        }
        return count == 1 ? Integer.toString(start + 1) : (start + 1) + "," + count;
    }

    private static void appendLine(StringBuilder out, char prefix, String line) {
        out.append(prefix);
        if (line.endsWith("\n")) {
            out.append(line);
        } else {
            out.append(line).append("\n\\ No newline at end of file\n");
        }
    }

    /** Lines with their newline kept, so that a missing newline at the end is a difference too. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static List<Edit> edits(List<String> a, List<String> b) {
        int head = 0;
        while (head < a.size() && head < b.size() && a.get(head).equals(b.get(head))) {
            head++;
        }
        int tail = 0;
        while (tail < a.size() - head && tail < b.size() - head
                && a.get(a.size() - 1 - tail).equals(b.get(b.size() - 1 - tail))) {
            tail++;
        }
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            edits.add(new Edit(Kind.KEEP, i, i));
        }
        middle(a.subList(head, a.size() - tail), b.subList(head, b.size() - tail), head, edits);
        for (int i = 0; i < tail; i++) {
            edits.add(new Edit(Kind.KEEP, a.size() - tail + i, b.size() - tail + i));
        }
        return edits;
    }

    /** Myers' greedy algorithm with the furthest-reaching paths of every step kept for the walk back. */
    private static void middle(List<String> a, List<String> b, int offset, List<Edit> edits) {
        int n = a.size();
        int m = b.size();
        int max = n + m;
        List<int[]> trace = new ArrayList<>();
        int[] v = new int[2 * max + 2];
        int found = -1;
        for (int d = 0; d <= max; d++) {
            trace.add(v.clone());
            for (int k = -d; k <= d; k += 2) {
                int x = k == -d || k != d && v[max + k - 1] < v[max + k + 1] ? v[max + k + 1] : v[max + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a.get(x).equals(b.get(y))) {
                    x++;
                    y++;
                }
                v[max + k] = x;
                if (x >= n && y >= m) {
                    found = d;
                    break;
                }
            }
            if (found >= 0) {
                break;
            }
            if (trace.size() * (long) v.length > MAX_TRACE_INTS) {
                break; // too many differences to keep every step: replace wholesale instead
            }
        }
        if (found < 0) {
            for (int i = 0; i < n; i++) {
                edits.add(new Edit(Kind.DELETE, offset + i, offset));
            }
            for (int j = 0; j < m; j++) {
                edits.add(new Edit(Kind.INSERT, offset + n, offset + j));
            }
            return;
        }
        List<Edit> backwards = new ArrayList<>();
        int x = n;
        int y = m;
        for (int d = found; d > 0; d--) {
            int[] prev = trace.get(d);
            int k = x - y;
            int prevK = k == -d || k != d && prev[max + k - 1] < prev[max + k + 1] ? k + 1 : k - 1;
            int prevX = prev[max + prevK];
            int prevY = prevX - prevK;
            while (x > prevX && y > prevY) {
                x--;
                y--;
                backwards.add(new Edit(Kind.KEEP, offset + x, offset + y));
            }
            if (x == prevX) {
                y--;
                backwards.add(new Edit(Kind.INSERT, offset + x, offset + y));
            } else {
                x--;
                backwards.add(new Edit(Kind.DELETE, offset + x, offset + y));
            }
        }
        while (x > 0 && y > 0) {
            x--;
            y--;
            backwards.add(new Edit(Kind.KEEP, offset + x, offset + y));
        }
        for (int i = backwards.size() - 1; i >= 0; i--) {
            edits.add(backwards.get(i));
        }
    }
}
