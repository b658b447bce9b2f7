package com.monkeycoder.cli.write;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CodeBlocksTest {

    @Test
    void findsEachBlockWithItsPathAndExactContent() {
        String answer = """
                Here you go.

                ```java src/Main.java
                class Main {
                    // ```
                }
                ```

                Run it with:

                ```bash
                java src/Main.java
                ```
                """;

        List<CodeBlock> blocks = CodeBlocks.parse(answer);

        assertThat(blocks).extracting(CodeBlock::path).containsExactly("src/Main.java", null);
        assertThat(blocks.getFirst().content()).isEqualTo("class Main {\n    // ```\n}\n");
        assertThat(blocks.get(1).content()).isEqualTo("java src/Main.java\n");
        assertThat(blocks).allMatch(CodeBlock::closed);
    }

    @Test
    void longerFenceHoldsShorterFencesAndTildesWork() {
        String answer = "````markdown README.md\n# Title\n```sh\nmake\n```\n````\n~~~ Makefile\nall:\n\techo hi\n~~~\n";

        List<CodeBlock> blocks = CodeBlocks.parse(answer);

        assertThat(blocks).extracting(CodeBlock::path).containsExactly("README.md", "Makefile");
        assertThat(blocks.getFirst().content()).isEqualTo("# Title\n```sh\nmake\n```\n");
        assertThat(blocks.get(1).content()).isEqualTo("all:\n\techo hi\n");
    }

    @Test
    void blockTheAnswerEndsInsideIsMarkedNotClosed() {
        List<CodeBlock> blocks = CodeBlocks.parse("```python app.py\nprint('hi')\n");

        assertThat(blocks).singleElement().satisfies(b -> {
            assertThat(b.closed()).isFalse();
            assertThat(b.content()).isEqualTo("print('hi')\n");
        });
    }

    @Test
    void indentedFenceHasItsIndentRemovedFromTheContent() {
        List<CodeBlock> blocks = CodeBlocks.parse("  ```go main.go\n  package main\n   func main() {}\n  ```\n");

        assertThat(blocks.getFirst().content()).isEqualTo("package main\n func main() {}\n");
    }

    @ParameterizedTest(name = "''{0}'' names ''{1}''")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "java src/Main.java | src/Main.java",
            "src/Main.java | src/Main.java",
            "python app.py | app.py",
            "java:src/Main.java | src/Main.java",
            "java file=src/Main.java | src/Main.java",
            "python title=\"app/main.py\" | app/main.py",
            "Dockerfile | Dockerfile",
            "dockerfile Dockerfile | Dockerfile",
            "makefile Makefile | Makefile",
            "makefile title=Makefile | Makefile",
            "justfile Justfile | Justfile",
            "cmake CMakeLists.txt | CMakeLists.txt",
            "text README | README",
            "makefile docs/Makefile | docs/Makefile",
            "makefile | makefile",
            "Makefile | Makefile",
            "Makefile extra words | Makefile",
            "Main.java Other.java | Main.java",
            "text .gitignore | .gitignore",
            "java | NONE",
            "bash | NONE",
            "'' | NONE",
            "c++ | NONE",
            "see https://example.com/x.js | NONE",
    })
    void infoStringNamesAPath(String info, String path) {
        assertThat(CodeBlocks.pathFromInfo(info)).isEqualTo(path);
    }
}
