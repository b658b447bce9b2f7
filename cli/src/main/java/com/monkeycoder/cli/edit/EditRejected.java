package com.monkeycoder.cli.edit;

import java.util.List;

/** The edits cannot all be applied, for the reasons listed (one a line, each naming its file); nothing was written. */
public final class EditRejected extends Exception {

    private final List<String> problems;

    public EditRejected(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
