package com.monkeycoder.cli.write;

import org.junit.jupiter.api.Test;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected outputs are what {@code git diff --no-index} prints for the same files, headers aside. */
class UnifiedDiffTest {

    @Test
    void equalTextsHaveNoDiff() {
        assertThat(UnifiedDiff.between("a.txt", "one\ntwo\n", "one\ntwo\n")).isEmpty();
    }

    @Test
    void newFileIsAllAdditionsAgainstDevNull() {
        assertThat(UnifiedDiff.between("src/a.txt", null, "one\ntwo\n")).isEqualTo("""
                --- /dev/null
                +++ b/src/a.txt
                @@ -0,0 +1,2 @@
                +one
                +two
                """);
    }

    @Test
    void changedLineInTheMiddleHasThreeLinesOfContext() {
        String old = numbered(1, 10);
        String changed = old.replace("line 5\n", "line five\n");

        assertThat(UnifiedDiff.between("f", old, changed)).isEqualTo("""
                --- a/f
                +++ b/f
                @@ -2,7 +2,7 @@
                 line 2
                 line 3
                 line 4
                -line 5
                +line five
                 line 6
                 line 7
                 line 8
                """);
    }

    @Test
    void changesFarApartMakeTwoHunks() {
        String old = numbered(1, 20);
        String changed = old.replace("line 2\n", "line two\n").replace("line 18\n", "");

        assertThat(UnifiedDiff.between("f", old, changed)).isEqualTo("""
                --- a/f
                +++ b/f
                @@ -1,5 +1,5 @@
                 line 1
                -line 2
                +line two
                 line 3
                 line 4
                 line 5
                @@ -15,6 +15,5 @@
                 line 15
                 line 16
                 line 17
                -line 18
                 line 19
                 line 20
                """);
    }

    @Test
    void missingNewlineAtTheEndIsShown() {
        assertThat(UnifiedDiff.between("f", "a\nb", "a\nb\n")).isEqualTo("""
                --- a/f
                +++ b/f
                @@ -1,2 +1,2 @@
                 a
                -b
                \\ No newline at end of file
                +b
                """);
    }

    @Test
    void statsCountAddedAndRemovedLines() {
        assertThat(UnifiedDiff.stats("a\nb\nc\n", "a\nB\nc\nd\n")).isEqualTo(new UnifiedDiff.Stats(2, 1));
        assertThat(UnifiedDiff.stats(null, "a\nb\n")).isEqualTo(new UnifiedDiff.Stats(2, 0));
    }

    @Test
    void hugeRewriteFallsBackToAWholesaleReplacementThatIsStillCorrect() {
        String old = IntStream.range(0, 3000).mapToObj(i -> "old " + i + "\n").collect(Collectors.joining());
        String changed = IntStream.range(0, 3000).mapToObj(i -> "new " + i + "\n").collect(Collectors.joining());

        String diff = UnifiedDiff.between("f", old, changed);

        assertThat(diff).startsWith("--- a/f\n+++ b/f\n@@ -1,3000 +1,3000 @@\n");
        assertThat(diff.lines().filter(l -> l.startsWith("-old"))).hasSize(3000);
        assertThat(diff.lines().filter(l -> l.startsWith("+new"))).hasSize(3000);
    }

    private static String numbered(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }
}
