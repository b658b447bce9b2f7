package com.monkeycoder.cli.write;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PathGuardTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"../x", "a/../../x", "src/../../etc/passwd", "/etc/passwd", "~/x", "C:/x", "..\\x", "", "./", "a\0b"})
    void pathsThatLeaveTheFolderOrNameNothingAreRefused(String name) {
        PathGuard guard = new PathGuard(tmp.resolve("out"));

        assertThat(guard.resolve(name).refused()).as(name).isPresent();
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {".git/config", ".GIT/config", ".Git/hooks/pre-commit", "a/../.git/hooks/x", "x/.git",
            ".git./config", ".git /config", ".git::$INDEX_ALLOCATION/config", "GIT~1/config", ".g\u200cit/config",
            ".hg/hgrc", ".HG/hgrc", ".svn/x", ".bzr/x", "_darcs/x", "_DARCS/x", ".jj/x", "CVS/Root", "cvs/Root",
            "src\\.git\\config"})
    void versionControlMetadataIsRefusedWhateverItsCase(String name) {
        assertThat(new PathGuard(tmp.resolve("out")).resolve(name).refused()).as(name).get().asString()
                .contains("version-control metadata");
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {".gitignore", ".github/workflows/ci.yml", "git/x", ".gitattributes", "src/cvs.c", "hg/x",
            ".jjx/y"})
    void namesThatOnlyLookLikeVcsFoldersAreFine(String name) {
        assertThat(new PathGuard(tmp.resolve("out")).resolve(name).refused()).as(name).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"a\u001b[2Kb.txt", "a\rb.txt", "a\nb.txt", "a\u009bb.txt"})
    void namesWithControlCharactersAreRefused(String name) {
        assertThat(new PathGuard(tmp.resolve("out")).resolve(name).refused()).get().asString()
                .isEqualTo("contains a control character");
    }

    @Test
    void ordinaryPathsResolveInsideEvenWhenTheFolderDoesNotExistYet() {
        PathGuard guard = new PathGuard(tmp.resolve("new/out"));

        PathGuard.Result r = guard.resolve("./src//main/App.java");

        assertThat(r.refused()).isEmpty();
        assertThat(r.relative()).isEqualTo("src/main/App.java");
        assertThat(r.target()).isEqualTo(real(tmp).resolve("new/out/src/main/App.java"));
    }

    @Test
    void symlinkedFolderPointingOutsideIsRefused() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(out.resolve("link"), elsewhere);

        assertThat(new PathGuard(out).resolve("link/x.txt").refused()).get().asString().contains("symbolic link link");
    }

    @Test
    void symlinkedFilePointingOutsideIsRefused() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "keep");
        Files.createSymbolicLink(out.resolve("notes.txt"), secret);

        assertThat(new PathGuard(out).resolve("notes.txt").refused()).isPresent();
    }

    @Test
    void danglingSymlinkIsRefused() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createSymbolicLink(out.resolve("gone"), tmp.resolve("nowhere"));

        assertThat(new PathGuard(out).resolve("gone").refused()).get().asString().contains("points nowhere");
    }

    @Test
    void symlinkInsideTheFolderIsFollowedToItsTarget() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(out.resolve("real"));
        Files.createSymbolicLink(out.resolve("alias"), out.resolve("real"));

        PathGuard.Result r = new PathGuard(out).resolve("alias/a.txt");

        assertThat(r.refused()).isEmpty();
        assertThat(r.target()).isEqualTo(real(out).resolve("real/a.txt"));
    }

    @Test
    void existingFolderIsNotAFile() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out/src"));

        assertThat(new PathGuard(out.getParent()).resolve("src").refused()).get().isEqualTo("is a folder");
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @org.junit.jupiter.api.Test
    void aNameWithAnInvisibleReorderingCharacterIsRefused() {
        assertThat(new PathGuard(tmp.resolve("out")).resolve("src/x\u202Ehs.txt").refused()).get().asString()
                .contains("reorders or hides");
    }
}
