package com.monkeycoder.cli.edit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EditParserTest {

    @Test
    void searchReplaceBlocksWithThePathOnTheLineBeforeTheFence() {
        EditParser.Parsed parsed = EditParser.parse("""
                Change the greeting:

                src/app.py
                ```python
                <<<<<<< SEARCH
                print("hi")
                =======
                print("hello")
                >>>>>>> REPLACE
                <<<<<<< SEARCH
                x = 1
                =======
                >>>>>>> REPLACE
                ```
                """);

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.edits()).containsExactly(
                new Edit.Replace("src/app.py", "print(\"hi\")\n", "print(\"hello\")\n"),
                new Edit.Replace("src/app.py", "x = 1\n", ""));
    }

    @Test
    void thePathMayBeInTheFencesInfoStringOrDecoratedOnItsOwnLine() {
        EditParser.Parsed parsed = EditParser.parse("""
                ```java src/Main.java
                <<<<<<< SEARCH
                a
                =======
                b
                >>>>>>> REPLACE
                ```

                **`docs/user guide.md`**:
                ```
                <<<<<<< SEARCH
                old
                =======
                new
                >>>>>>> REPLACE
                ```
                """);

        assertThat(parsed.edits()).extracting(Edit::path).containsExactly("src/Main.java", "docs/user guide.md");
    }

    @Test
    void newFilesComeWholeAsAFenceNamingTheFileOrAsAnEmptySearch() {
        EditParser.Parsed parsed = EditParser.parse("""
                ```java src/New.java
                class New {}
                ```

                notes.txt
                ```
                <<<<<<< SEARCH
                =======
                first note
                >>>>>>> REPLACE
                ```

                ```bash
                mvn test
                ```
                """);

        assertThat(parsed.edits()).containsExactlyInAnyOrder(new Edit.Create("src/New.java", "class New {}\n"),
                new Edit.Create("notes.txt", "first note\n"));
    }

    @Test
    void aBlockCutOffOrNamingNoFileIsAProblem() {
        assertThat(EditParser.parse("""
                ```
                <<<<<<< SEARCH
                a
                =======
                b
                >>>>>>> REPLACE
                ```
                """).problems()).singleElement().asString().contains("names no file");
        assertThat(EditParser.parse("""
                a.txt
                ```
                <<<<<<< SEARCH
                a
                =======
                b
                """).problems()).singleElement().asString().contains("a.txt").contains("cut off");
        assertThat(EditParser.parse("```java src/A.java\nclass A {\n").problems()).singleElement().asString()
                .contains("src/A.java").contains("cut off");
    }

    @Test
    void anAnswerWithoutEditsHasNone() {
        EditParser.Parsed parsed = EditParser.parse("I would not change anything.\n```\nls -la\n```\n");

        assertThat(parsed.edits()).isEmpty();
        assertThat(parsed.problems()).isEmpty();
    }
}
