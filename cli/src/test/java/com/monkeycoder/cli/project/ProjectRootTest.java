package com.monkeycoder.cli.project;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectRootTest {

    @TempDir
    Path tmp;

    private ProjectRoot project() throws IOException {
        Path dir = tmp.resolve("project");
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/App.java"), "class App {}\n");
        Files.writeString(tmp.resolve("secret.txt"), "outside\n");
        return ProjectRoot.of(dir);
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"../secret.txt", "src/../../secret.txt", "/etc/passwd", ".git/config", "src/.GIT/config",
            ".hg/hgrc", ".jj/repo", ".svn/entries"})
    void pathsOutOfTheProjectOrIntoVcsMetadataAreRefused(String name) throws IOException {
        assertThat(project().file(name)).isInstanceOf(ProjectRoot.Location.Refused.class);
        assertThat(project().folder(name)).isInstanceOf(ProjectRoot.Location.Refused.class);
    }

    @Test
    void anAbsolutePathInsideTheProjectIsTakenAsRelative() throws IOException {
        ProjectRoot root = project();

        assertThat(root.file(root.path().resolve("src/App.java").toString()))
                .isEqualTo(new ProjectRoot.Location.Inside("src/App.java", root.path().resolve("src/App.java")));
        assertThat(root.file(root.path() + "/../secret.txt")).isInstanceOf(ProjectRoot.Location.Refused.class);
    }

    @Test
    void aLinkLeadingOutIsRefusedAsFileAndAsFolder() throws IOException {
        ProjectRoot root = project();
        Files.createSymbolicLink(root.path().resolve("out.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.path().resolve("outdir"), tmp);
        Files.createSymbolicLink(root.path().resolve("src/up"), root.path().getParent());

        assertThat(root.file("out.txt")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories
                .type(ProjectRoot.Location.Refused.class)).extracting(ProjectRoot.Location.Refused::message)
                .asString().contains("symbolic link").contains("outside");
        assertThat(root.file("outdir/secret.txt")).isInstanceOf(ProjectRoot.Location.Refused.class);
        assertThat(root.folder("outdir")).isInstanceOf(ProjectRoot.Location.Refused.class);
        assertThat(root.file("src/up/secret.txt")).isInstanceOf(ProjectRoot.Location.Refused.class);
    }

    @Test
    void aLinkThatStaysInsideIsFollowed() throws IOException {
        ProjectRoot root = project();
        Files.createSymbolicLink(root.path().resolve("main"), root.path().resolve("src"));

        assertThat(root.file("main/App.java")).isEqualTo(
                new ProjectRoot.Location.Inside("main/App.java", root.path().resolve("src/App.java")));
    }

    @Test
    void aLinkInsideThatLeadsIntoGitIsRefused() throws IOException {
        ProjectRoot root = project();
        Files.createDirectories(root.path().resolve(".git"));
        Files.writeString(root.path().resolve(".git/config"), "[core]\n");
        Files.createSymbolicLink(root.path().resolve("cfg"), root.path().resolve(".git/config"));

        assertThat(root.file("cfg")).isInstanceOf(ProjectRoot.Location.Refused.class);
    }

    @Test
    void folderResolvesTheProjectItselfAndSubFoldersAndRefusesFiles() throws IOException {
        ProjectRoot root = project();

        assertThat(root.folder("")).isEqualTo(new ProjectRoot.Location.Inside("", root.path()));
        assertThat(root.folder(".")).isEqualTo(new ProjectRoot.Location.Inside("", root.path()));
        assertThat(root.folder("src/")).isEqualTo(new ProjectRoot.Location.Inside("src", root.path().resolve("src")));
        assertThat(root.folder("src/App.java")).isInstanceOf(ProjectRoot.Location.Refused.class);
        assertThat(root.folder("nowhere")).isInstanceOf(ProjectRoot.Location.Refused.class);
    }
}
