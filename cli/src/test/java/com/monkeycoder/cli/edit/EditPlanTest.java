package com.monkeycoder.cli.edit;

import com.monkeycoder.cli.project.ProjectRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class EditPlanTest {

    @TempDir
    Path tmp;

    private ProjectRoot project() throws IOException {
        write("src/App.java", "class App {\n    void run() {\n        System.out.println(\"hi\");\n    }\n}\n");
        write("README.md", "# App\n\nRuns.\n");
        return ProjectRoot.of(tmp);
    }

    @Test
    void editsAreAppliedExactlyAndShownAsAPlanWithADiff() throws IOException, EditRejected {
        ProjectRoot root = project();

        EditPlan plan = EditPlan.build(root, List.of(
                new Edit.Replace("src/App.java", "        System.out.println(\"hi\");\n",
                        "        System.out.println(\"hello\");\n"),
                new Edit.Create("src/Util.java", "class Util {}\n"),
                new Edit.Create("README.md", "# App\n\nRuns.\n")));

        assertThat(plan.files()).extracting(EditPlan.FileChange::path, EditPlan.FileChange::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple("src/App.java", EditPlan.Action.EDIT),
                org.assertj.core.groups.Tuple.tuple("src/Util.java", EditPlan.Action.CREATE),
                org.assertj.core.groups.Tuple.tuple("README.md", EditPlan.Action.UNCHANGED));
        assertThat(plan.diff()).isEqualTo("""
                --- a/src/App.java
                +++ b/src/App.java
                @@ -1,5 +1,5 @@
                 class App {
                     void run() {
                -        System.out.println("hi");
                +        System.out.println("hello");
                     }
                 }
                --- /dev/null
                +++ b/src/Util.java
                @@ -0,0 +1 @@
                +class Util {}
                """);

        plan.apply();

        assertThat(read("src/App.java")).isEqualTo(
                "class App {\n    void run() {\n        System.out.println(\"hello\");\n    }\n}\n");
        assertThat(read("src/Util.java")).isEqualTo("class Util {}\n");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void editsOfOneFileApplyInOrder() throws IOException, EditRejected {
        EditPlan plan = EditPlan.build(project(), List.of(
                new Edit.Replace("README.md", "# App\n", "# The App\n"),
                new Edit.Replace("README.md", "Runs.\n", "Runs fast.\n")));

        assertThat(plan.files().getFirst().newContent()).isEqualTo("# The App\n\nRuns fast.\n");
    }

    @Test
    void aSearchBlockThatMatchesNothingRefusesTheWholeSetAndWritesNothing() throws IOException {
        ProjectRoot root = project();

        assertThatThrownBy(() -> EditPlan.build(root, List.of(
                new Edit.Create("src/New.java", "class New {}\n"),
                new Edit.Replace("src/App.java", "    void run() {\n        System.out.println(\"bye\");\n", "x\n"))))
                .isInstanceOf(EditRejected.class)
                .hasMessage("src/App.java: the search block of edit 2 matches nothing; its line 2 is not in the"
                        + " file: 'System.out.println(\"bye\");'");
        assertThat(tmp.resolve("src/New.java")).doesNotExist();
    }

    @Test
    void aSearchBlockWhoseLinesAreThereButNotTogetherSaysWhereItStopsMatching() throws IOException {
        assertThatThrownBy(() -> EditPlan.build(project(), List.of(new Edit.Replace("src/App.java",
                "class App {\n    }\n", "x\n"))))
                .hasMessageContaining("matches nothing; its lines occur in the file, but not in this order from line 2: '}'");
    }

    @Test
    void aSearchBlockThatMatchesTwiceIsRefusedWithTheCount() throws IOException {
        write("twice.txt", "same\nsame\n");

        assertThatThrownBy(() -> EditPlan.build(ProjectRoot.of(tmp), List.of(new Edit.Replace("twice.txt", "same\n",
                "other\n")))).isInstanceOf(EditRejected.class)
                .hasMessage("twice.txt: the search block of edit 1 matches 2 times (it must match once; add surrounding"
                        + " lines); it begins: 'same'");
    }

    @Test
    void overlappingEditsOfOneFileAreAConflict() throws IOException {
        assertThatThrownBy(() -> EditPlan.build(project(), List.of(
                new Edit.Replace("README.md", "# App\n", "# App v2\n"),
                new Edit.Replace("README.md", "App v2\n\nRuns", "App v3\n\nRuns"))))
                .hasMessageContaining("edit 2 overlaps the text an earlier edit wrote");
    }

    @Test
    void aCreateAndAnEditOfOneFileAreAConflictBothWays() throws IOException {
        ProjectRoot root = project();

        assertThatThrownBy(() -> EditPlan.build(root, List.of(new Edit.Create("new.txt", "a\n"),
                new Edit.Replace("new.txt", "a\n", "b\n")))).hasMessageContaining("edits the file edit 1 creates");
        assertThatThrownBy(() -> EditPlan.build(root, List.of(new Edit.Replace("README.md", "Runs.", "Walks."),
                new Edit.Create("README.md", "x\n")))).hasMessageContaining("creates it, but edit 1 edits it");
        assertThatThrownBy(() -> EditPlan.build(root, List.of(new Edit.Create("README.md", "other\n"))))
                .hasMessageContaining("already exists with other content");
    }

    @Test
    void pathsOutOfTheProjectAndIntoGitAreRefused() throws IOException {
        ProjectRoot root = project();
        Files.createDirectories(tmp.resolve(".git"));

        assertThatThrownBy(() -> EditPlan.build(root, List.of(new Edit.Create("../evil.txt", "x"),
                new Edit.Create(".git/hooks/pre-commit", "x"))))
                .isInstanceOf(EditRejected.class)
                .satisfies(e -> assertThat(((EditRejected) e).problems()).hasSize(2));
    }

    @Test
    void windowsLineEndsAreKept() throws IOException, EditRejected {
        write("dos.txt", "one\r\ntwo\r\nthree\r\n");

        EditPlan plan = EditPlan.build(ProjectRoot.of(tmp), List.of(new Edit.Replace("dos.txt", "two\n", "2\nii\n")));

        assertThat(plan.files().getFirst().newContent()).isEqualTo("one\r\n2\r\nii\r\nthree\r\n");
    }

    @Test
    void binaryFilesAreNotEdited() throws IOException {
        Files.write(tmp.resolve("a.bin"), new byte[]{'a', 0, 'b'});

        assertThatThrownBy(() -> EditPlan.build(ProjectRoot.of(tmp), List.of(new Edit.Replace("a.bin", "a", "c"))))
                .hasMessageContaining("binary");
    }

    @Test
    void anEditedFileKeepsItsPermissionsAndANewFileGetsNoExecuteBit() throws IOException, EditRejected {
        assumeThat(Files.getFileStore(tmp).supportsFileAttributeView("posix")).isTrue();
        write("run.sh", "#!/bin/sh\necho hi\n");
        write("private.txt", "secret\n");
        Files.setPosixFilePermissions(tmp.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setPosixFilePermissions(tmp.resolve("private.txt"), PosixFilePermissions.fromString("rw-------"));

        EditPlan.build(ProjectRoot.of(tmp), List.of(new Edit.Replace("run.sh", "echo hi", "echo hello"),
                new Edit.Replace("private.txt", "secret", "still secret"),
                new Edit.Create("bin/new.sh", "#!/bin/sh\n"))).apply();

        assertThat(Files.getPosixFilePermissions(tmp.resolve("run.sh")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
        assertThat(Files.getPosixFilePermissions(tmp.resolve("private.txt")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(tmp.resolve("bin/new.sh"))).doesNotContain(
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
    }

    @Test
    void aFailureWhileStagingLeavesEveryFileAsItWas() throws IOException, EditRejected {
        ProjectRoot root = project();
        EditPlan plan = EditPlan.build(root, List.of(new Edit.Replace("README.md", "Runs.", "Walks."),
                new Edit.Create("docs/deep/guide.md", "# Guide\n")));
        write("docs", "a file where the plan needs a folder\n"); // planted after the plan was made

        assertThatThrownBy(plan::apply).hasMessageStartingWith("nothing was written");

        assertThat(read("README.md")).isEqualTo("# App\n\nRuns.\n");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aReadOnlyFolderStopsTheWholeApply() throws IOException, EditRejected {
        assumeThat(System.getProperty("user.name")).isNotEqualTo("root"); // root writes into read-only folders
        ProjectRoot root = project();
        Files.createDirectories(tmp.resolve("locked"));
        write("locked/a.txt", "a\n");
        EditPlan plan = EditPlan.build(root, List.of(new Edit.Replace("README.md", "Runs.", "Walks."),
                new Edit.Replace("locked/a.txt", "a", "b")));
        Files.setPosixFilePermissions(tmp.resolve("locked"), PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(plan::apply).hasMessageStartingWith("nothing was written");
            assertThat(read("README.md")).isEqualTo("# App\n\nRuns.\n");
            assertThat(read("locked/a.txt")).isEqualTo("a\n");
        } finally {
            Files.setPosixFilePermissions(tmp.resolve("locked"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aRenameThatFailsPartWayPutsBackWhatWasAlreadyRenamed() throws IOException, EditRejected {
        ProjectRoot root = project();
        EditPlan plan = EditPlan.build(root, List.of(new Edit.Replace("README.md", "Runs.", "Walks."),
                new Edit.Create("src/New.java", "class New {}\n"),
                new Edit.Replace("src/App.java", "\"hi\"", "\"ho\""))).withMover(new FailingOnThird());

        assertThatThrownBy(plan::apply).hasMessageContaining("writing src/App.java failed")
                .hasMessageContaining("put back, nothing changed");

        assertThat(read("README.md")).isEqualTo("# App\n\nRuns.\n");
        assertThat(tmp.resolve("src/New.java")).doesNotExist();
        assertThat(read("src/App.java")).contains("\"hi\"");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void aFileChangedAfterThePlanIsNotOverwritten() throws IOException, EditRejected {
        EditPlan plan = EditPlan.build(project(), List.of(new Edit.Replace("README.md", "Runs.", "Walks.")));
        write("README.md", "# App\n\nRuns. The user typed this meanwhile.\n");

        assertThatThrownBy(plan::apply).hasMessageContaining("changed on disk after the plan was made");
        assertThat(read("README.md")).contains("meanwhile");
    }

    @Test
    void aLinkPlantedAfterThePlanIsRefusedAtApply() throws IOException, EditRejected {
        ProjectRoot root = project();
        EditPlan plan = EditPlan.build(root, List.of(new Edit.Create("out/x.txt", "x\n")));
        Path outside = Files.createDirectories(tmp.resolveSibling(tmp.getFileName() + "-outside"));
        Files.createSymbolicLink(tmp.resolve("out"), outside);

        assertThatThrownBy(plan::apply).hasMessageContaining("nothing was written");
        assertThat(outside.resolve("x.txt")).doesNotExist();
    }

    private static final class FailingOnThird implements EditPlan.Mover {
        private int calls;

        @Override
        public void move(Path staged, Path target) throws IOException {
            if (++calls == 3) {
                throw new IOException("disk full");
            }
            Files.move(staged, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void write(String path, String content) throws IOException {
        Path file = tmp.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private String read(String path) throws IOException {
        return Files.readString(tmp.resolve(path));
    }

    /** Temporary files and folders an apply made and should have removed. */
    private Set<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.map(p -> tmp.relativize(p).toString())
                    .filter(p -> p.contains(".monkey-") || p.startsWith("docs/deep")).collect(java.util.stream.Collectors.toSet());
        }
    }
}
