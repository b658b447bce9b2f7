package com.monkeycoder.cli.project;

import com.monkeycoder.cli.git.TestRepo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectToolsTest {

    @TempDir
    Path tmp;

    private static ProjectTools tools(Path dir) throws IOException {
        return new ProjectTools(ProjectRoot.of(dir), ToolBudget.defaults());
    }

    @Test
    void inAGitWorkTreeTheListFollowsGitignoreAndShowsUntrackedFiles() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write(".gitignore", "*.log\nsecrets/\n")
                .write("src/App.java", "class App {}\n").write("README.md", "# r\n").commitAll("base");
        repo.write("src/New.java", "class New {}\n").write("debug.log", "x\n").write("secrets/key.txt", "k\n")
                .write("node_modules/left/index.js", "tracked? no: not ignored by this repo\n");

        ToolResult result = tools(repo.dir()).listFiles(null, null);

        assertThat(result.isError()).isFalse();
        assertThat(result.text().lines().toList()).containsExactly(".gitignore", "README.md",
                "node_modules/left/index.js", "src/App.java", "src/New.java");
    }

    @Test
    void outsideGitTheListSkipsVcsAndDependencyFolders() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "src/main.py", "print(1)\n");
        write(dir, "node_modules/x/index.js", "x\n");
        write(dir, ".venv/lib/site.py", "x\n");
        write(dir, ".hg/hgrc", "x\n");
        write(dir, "target/classes/A.class", "x\n");

        assertThat(tools(dir).listFiles("", null).text().lines().toList()).containsExactly("src/main.py");
    }

    @Test
    void listFilesFiltersByFolderAndGlob() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "src/a/A.java", "a\n");
        write(dir, "src/b/B.kt", "b\n");
        write(dir, "docs/A.java.md", "d\n");
        ProjectTools tools = tools(dir);

        assertThat(tools.listFiles("src", null).text().lines().toList()).containsExactly("src/a/A.java", "src/b/B.kt");
        assertThat(tools.listFiles(null, "*.java").text().lines().toList()).containsExactly("src/a/A.java");
        assertThat(tools.listFiles(null, "src/**").text().lines().toList()).containsExactly("src/a/A.java", "src/b/B.kt");
        assertThat(tools.listFiles("../", null).isError()).isTrue();
    }

    @Test
    void readFileReturnsTheWholeFileOrALineRange() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "a.txt", "one\ntwo\nthree\nfour\n");
        ProjectTools tools = tools(dir);

        assertThat(tools.readFile("a.txt", null, null).text()).isEqualTo("a.txt (4 lines):\none\ntwo\nthree\nfour\n");
        assertThat(tools.readFile("a.txt", 2, 3).text()).isEqualTo("a.txt lines 2-3 of 4:\ntwo\nthree\n");
        assertThat(tools.readFile("a.txt", 3, null).text()).isEqualTo("a.txt lines 3-4 of 4:\nthree\nfour\n");
        assertThat(tools.readFile("a.txt", 9, 10).isError()).isTrue();
        assertThat(tools.readFile("a.txt", 3, 2).isError()).isTrue();
        assertThat(tools.readFile("missing.txt", null, null).text()).contains("does not exist");
    }

    @Test
    void binaryFilesAreRefused() throws IOException {
        Path dir = tmp.resolve("plain");
        Files.createDirectories(dir);
        Files.write(dir.resolve("logo.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});

        ToolResult result = tools(dir).readFile("logo.png", null, null);

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).contains("binary");
        assertThat(result.bytesRead()).isZero();
    }

    @Test
    void aFileOverTheCapIsRefusedWholeButReadableByLineRange() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "big.txt", "line of text\n".repeat(10_000));
        ProjectTools tools = new ProjectTools(ProjectRoot.of(dir), 64 * 1024);

        ToolResult whole = tools.readFile("big.txt", null, null);
        ToolResult range = tools.readFile("big.txt", 5000, 5001);

        assertThat(whole.isError()).isTrue();
        assertThat(whole.text()).contains("read a line range").contains("start_line");
        assertThat(range.text()).isEqualTo("big.txt lines 5000-5001 of 10000:\nline of text\nline of text\n");
    }

    @Test
    void readFileRefusesEscapesAndGitMetadata() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("a.txt", "a\n");
        Files.writeString(tmp.resolve("secret.txt"), "s\n");
        Files.createSymbolicLink(repo.dir().resolve("link.txt"), tmp.resolve("secret.txt"));
        ProjectTools tools = tools(repo.dir());

        for (String path : new String[]{"../secret.txt", tmp.resolve("secret.txt").toString(), "link.txt", ".git/config"}) {
            ToolResult result = tools.readFile(path, null, null);
            assertThat(result.isError()).as(path).isTrue();
            assertThat(result.text()).as(path).startsWith("path '" + path + "' refused: ");
        }
    }

    @Test
    void searchFindsLiteralAndRegexMatchesAsPathLineText() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "src/A.java", "class A {\n  // TODO: a.b\n}\n");
        write(dir, "src/B.java", "class B {\n  // todo later\n}\n");
        write(dir, "notes.md", "TODO: a.b\n");
        ProjectTools tools = tools(dir);

        assertThat(tools.searchText("a.b", false, "*.java").text()).isEqualTo("src/A.java:2:   // TODO: a.b\n");
        assertThat(tools.searchText("(?i)todo", true, "src/**").text().lines().toList())
                .containsExactly("src/A.java:2:   // TODO: a.b", "src/B.java:2:   // todo later");
        assertThat(tools.searchText("([", true, null).isError()).isTrue();
        assertThat(tools.searchText("absent", false, null).text()).startsWith("No matches");
    }

    @Test
    void searchIsCappedAndSaysHowManyMoreThereAre() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "many.txt", "match\n".repeat(ProjectTools.MAX_MATCHES + 25));

        String text = tools(dir).searchText("match", false, null).text();

        assertThat(text.lines().filter(l -> l.startsWith("many.txt:"))).hasSize(ProjectTools.MAX_MATCHES);
        assertThat(text).endsWith("[25 more matches not shown: narrow the query or glob]\n");
    }

    @Test
    void searchSkipsBinariesAndLinksLeadingOut() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "a.txt", "needle\n");
        Files.write(dir.resolve("b.bin"), "needle\0".getBytes());
        Files.writeString(tmp.resolve("secret.txt"), "needle outside\n");
        Files.createSymbolicLink(dir.resolve("c.txt"), tmp.resolve("secret.txt"));

        assertThat(tools(dir).searchText("needle", false, null).text()).isEqualTo("a.txt:1: needle\n");
    }

    @Test
    void aRegexThatBacktracksForeverIsStopped() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "a.txt", "a".repeat(40) + "!\n");
        ProjectTools tools = new ProjectTools(ProjectRoot.of(dir), 64 * 1024, java.time.Duration.ofMillis(200));

        ToolResult result = tools.searchText("(.*a){30}", true, null);

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).contains("took longer than 200 ms");
    }

    @Test
    void aRegexThatRecursesTooDeeplyIsAnErrorResult() throws IOException {
        Path dir = tmp.resolve("plain");
        write(dir, "a.txt", "ab".repeat(50_000) + "\n");

        ToolResult result = tools(dir).searchText("(a|b)+$x", true, null);

        assertThat(result.isError()).isTrue();
        assertThat(result.text()).contains("too costly");
    }

    static void write(Path dir, String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void aGlobThatWouldBacktrackForeverIsRefusedAtOnce() throws IOException {
        Path dir = java.nio.file.Files.createDirectories(tmp.resolve("globs"));
        java.nio.file.Files.writeString(dir.resolve("a".repeat(40) + ".java"), "x\n");
        ProjectTools tools = tools(dir);

        long started = System.nanoTime();
        ToolResult listed = tools.listFiles(null, "*a*a*a*a*a*a*a*a*a*a*b");
        ToolResult searched = tools.searchText("x", false, "*?*?*?*?*?*?*?*?*?*?#");

        assertThat(listed.isError()).isTrue();
        assertThat(listed.text()).contains("at most 6 wildcards");
        assertThat(searched.isError()).isTrue();
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L); // refused, not run
        assertThat(tools.listFiles(null, "*.java").text()).contains(".java");
    }
}
