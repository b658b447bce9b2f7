package com.monkeycoder.cli.git;

import java.util.List;

/** What {@link GitWorkTree#undoLast()} did: undid a commit, or refused and says why. */
public sealed interface UndoResult {

    /** The commit is gone from the branch (still in the reflog); {@code files} are back as they were before it. */
    record Undone(String commit, String subject, List<String> files) implements UndoResult {
    }

    record Refused(String reason) implements UndoResult {
    }
}
