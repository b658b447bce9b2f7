package com.monkeycoder.cli.git;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GitWorkTreeTest {

    @TempDir
    Path tmp;

    @Test
    void findsTheTopOfTheWorkTreeFromASubFolderAndNothingOutsideOne() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("src/a.txt", "a\n");

        assertThat(GitWorkTree.find(repo.dir().resolve("src"))).get().extracting(GitWorkTree::top)
                .isEqualTo(repo.dir().toRealPath());
        Files.createDirectories(tmp.resolve("plain"));
        assertThat(GitWorkTree.find(tmp.resolve("plain"))).isEmpty();
    }

    @Test
    void dirtyPathsAreModifiedStagedUntrackedAndRenamedFilesButNotIgnoredOnes() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo"))
                .write(".gitignore", "*.log\n").write("clean.txt", "c\n").write("changed.txt", "1\n")
                .write("staged.txt", "1\n").write("old name.txt", "r\n").commitAll("base");
        repo.write("changed.txt", "2\n").write("staged.txt", "2\n").write("new.txt", "n\n").write("debug.log", "x\n");
        repo.git("add", "staged.txt");
        repo.git("mv", "old name.txt", "new name.txt");
        Path top = repo.dir().toRealPath();

        assertThat(GitWorkTree.find(repo.dir()).orElseThrow().dirtyPaths()).containsExactlyInAnyOrder(
                top.resolve("changed.txt"), top.resolve("staged.txt"), top.resolve("new.txt"),
                top.resolve("new name.txt"), top.resolve("old name.txt"));
    }

    @Test
    void commitTakesExactlyTheGivenFilesWithTheModelTrailerAndLeavesOtherStagedWorkStaged() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("a.txt", "a\n").write("other.txt", "o\n")
                .commitAll("base");
        repo.write("a.txt", "a2\n").write("src/new file.txt", "new\n").write("other.txt", "user's work\n");
        repo.git("add", "other.txt");
        GitWorkTree tree = GitWorkTree.find(repo.dir()).orElseThrow();

        String id = tree.commit(List.of(tree.top().resolve("a.txt"), tree.top().resolve("src/new file.txt")),
                "# Add the greeting\n\nIt says hello.", "openai/gpt-4.1");

        assertThat(repo.git("rev-parse", "HEAD").strip()).isEqualTo(id);
        assertThat(repo.git("show", "--name-only", "--format=", "HEAD").lines().toList())
                .containsExactlyInAnyOrder("a.txt", "src/new file.txt");
        String message = repo.git("log", "-1", "--format=%B");
        assertThat(message).startsWith("Add the greeting\n\nIt says hello.\n\n");
        assertThat(repo.git("log", "-1", "--format=%(trailers:key=Monkey-Coder-Model,valueonly)").strip())
                .isEqualTo("openai/gpt-4.1");
        assertThat(repo.git("log", "-1", "--format=%(trailers:key=Monkey-Coder,valueonly)")).isNotBlank();
        assertThat(repo.git("status", "--porcelain")).isEqualTo("M  other.txt\n");
    }

    @Test
    void aFileNamedLikeAPatternIsCommittedAloneNotAsAPattern() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("base.txt", "b\n").commitAll("base");
        repo.write("*.txt", "star\n").write("x.txt", "x\n");
        GitWorkTree tree = GitWorkTree.find(repo.dir()).orElseThrow();

        tree.commit(List.of(tree.top().resolve("*.txt")), "Add star", "m");

        assertThat(repo.git("show", "--name-only", "--format=", "HEAD").strip()).isEqualTo("*.txt");
    }

    @Test
    void aFileOutsideTheWorkTreeIsNotCommitted() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("a.txt", "a\n").commitAll("base");
        GitWorkTree tree = GitWorkTree.find(repo.dir()).orElseThrow();

        assertThatThrownBy(() -> tree.commit(List.of(tmp.resolve("elsewhere.txt")), "x", "m"))
                .hasMessageContaining("not inside the work tree");
    }

    @Test
    void undoRemovesMonkeysCommitAndPutsTheFilesBack() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("a.txt", "before\n").commitAll("base");
        String base = repo.git("rev-parse", "HEAD").strip();
        repo.write("a.txt", "after\n").write("created.txt", "new\n");
        GitWorkTree tree = GitWorkTree.find(repo.dir()).orElseThrow();
        String id = tree.commit(List.of(tree.top().resolve("a.txt"), tree.top().resolve("created.txt")),
                "Change a", "m");

        UndoResult result = tree.undoLast();

        assertThat(result).isEqualTo(new UndoResult.Undone(id, "Change a", List.of("a.txt", "created.txt")));
        assertThat(repo.git("rev-parse", "HEAD").strip()).isEqualTo(base);
        assertThat(repo.read("a.txt")).isEqualTo("before\n");
        assertThat(repo.dir().resolve("created.txt")).doesNotExist();
        assertThat(repo.git("status", "--porcelain")).isEmpty();
    }

    @Test
    void undoRefusesWhenThereIsNoCommit() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo"));

        assertThat(GitWorkTree.find(repo.dir()).orElseThrow().undoLast())
                .isEqualTo(new UndoResult.Refused("the repository has no commits yet"));
    }

    @Test
    void undoRefusesAUsersCommit() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("a.txt", "1\n").commitAll("base")
                .write("a.txt", "2\n").commitAll("Mine");

        assertThat(GitWorkTree.find(repo.dir()).orElseThrow().undoLast())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(UndoResult.Refused.class))
                .extracting(UndoResult.Refused::reason).asString().contains("Mine").contains("was not made by monkey");
        assertThat(repo.read("a.txt")).isEqualTo("2\n");
    }

    @Test
    void undoRefusesWhileTrackedFilesHaveUncommittedChanges() throws IOException {
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("a.txt", "1\n").write("b.txt", "b\n")
                .commitAll("base");
        GitWorkTree tree = GitWorkTree.find(repo.dir()).orElseThrow();
        repo.write("a.txt", "2\n");
        tree.commit(List.of(tree.top().resolve("a.txt")), "Change a", "m");
        repo.write("b.txt", "user's edit\n");

        assertThat(tree.undoLast()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(UndoResult.Refused.class))
                .extracting(UndoResult.Refused::reason).asString().contains("uncommitted changes (b.txt)");
        assertThat(repo.read("a.txt")).isEqualTo("2\n");
        assertThat(repo.read("b.txt")).isEqualTo("user's edit\n");
    }

    @Test
    void undoRefusesACommitAlreadyPushed() throws IOException {
        TestRepo remote = new TestRepo(tmp.resolve("remote.git"));
        Files.createDirectories(remote.dir());
        remote.git("init", "-q", "--bare");
        TestRepo repo = TestRepo.init(tmp.resolve("repo")).write("a.txt", "1\n").commitAll("base");
        GitWorkTree tree = GitWorkTree.find(repo.dir()).orElseThrow();
        repo.write("a.txt", "2\n");
        tree.commit(List.of(tree.top().resolve("a.txt")), "Change a", "m");
        repo.git("remote", "add", "origin", remote.dir().toString());
        repo.git("push", "-q", "origin", "main");

        assertThat(tree.undoLast()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(UndoResult.Refused.class))
                .extracting(UndoResult.Refused::reason).asString().contains("origin/main").contains("git revert");
    }

    @Test
    void commitMessageSubjectIsCutAtAWordAndTheWholeLineKeptInTheBody() {
        String line = "Refactor the request dispatcher so that each provider adapter receives its own timeout"
                + " settings";

        CommitMessage message = CommitMessage.of(line + "\nMore words.", "anthropic/claude");

        assertThat(message.subject()).hasSizeLessThanOrEqualTo(72).endsWith("...").startsWith("Refactor the request");
        assertThat(message.text()).contains("\n\n" + line + "\n\nMore words.\n\n")
                .contains("Monkey-Coder-Model: anthropic/claude\n");
    }

    @Test
    void aRepositorysFsmonitorCommandIsNeverRun() throws Exception {
        TestRepo repo = TestRepo.init(tmp.resolve("hostile")).write("a.txt", "a\n").commitAll("first");
        Path marker = tmp.resolve("PWNED");
        repo.git("config", "core.fsmonitor", "touch " + marker + "; false");
        repo.write("a.txt", "changed\n");

        GitWorkTree tree = GitWorkTree.find(repo.dir()).orElseThrow();
        assertThat(tree.dirtyPaths()).hasSize(1);
        assertThat(marker).doesNotExist();
    }
}
