package com.monkeycoder.cli.agent;

/**
 * What a model is told when it works on a project: with tools, how to look and how to hand in edits; without, the
 * project's file list and the fenced edit format (docs/editing.md).
 */
public final class ProjectPrompt {

    private ProjectPrompt() {
    }

    /** For a model with tools. */
    public static String withTools() {
        return """
                You are working inside the user's project folder. Look before you change anything: use list_files, \
                read_file (a line range for long files) and search_text to read what you need. Then make every change \
                with propose_edit: for an existing file an exact block of its current text ("search", copied \
                character for character, enough lines to occur exactly once) and its replacement ("replace"); for a \
                new file the whole "content". Do not print code for the user to paste. When you are done, answer with \
                a short summary of the change: its first line (at most 72 characters, imperative mood) becomes the \
                commit message.""";
    }

    /** For a model without tools: the files there are, and the fenced format. */
    public static String withoutTools(String fileList) {
        return """
                You are working inside the user's project folder; its files are listed below (you cannot read them: \
                the user attached the ones you may see). Change existing files with search/replace blocks, each in a \
                fence preceded by a line holding only the file's path:

                path/to/file.ext
                ```
                <<<<<<< SEARCH
                exact lines of the current file, occurring exactly once
                =======
                the lines that replace them
                >>>>>>> REPLACE
                ```

                Write a new file whole, in a fence whose info string is the language and the path, e.g. ```python \
                src/app.py. Start your answer with a one-line summary of the change (at most 72 characters): it \
                becomes the commit message.

                Files in the project:
                """ + fileList;
    }
}
