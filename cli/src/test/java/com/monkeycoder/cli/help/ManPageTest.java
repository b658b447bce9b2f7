package com.monkeycoder.cli.help;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.Monkey;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@code packaging/man/monkey.1} is what {@link ManPage} writes from the command definitions now. When it is not,
 * this test writes the new page there and fails, so a stale manual cannot be committed unnoticed.
 */
class ManPageTest {

    private static final Path PAGE = Path.of("..", "packaging", "man", "monkey.1");

    private static String generated() {
        return ManPage.generate(Monkey.commandLine(new CliContext(Map.of(), false)));
    }

    @Test
    void committedManPageIsUpToDate() throws IOException {
        String page = generated();
        String committed = Files.exists(PAGE) ? Files.readString(PAGE) : null;
        if (!page.equals(committed)) {
            Files.createDirectories(PAGE.getParent());
            Files.writeString(PAGE, page);
            fail("packaging/man/monkey.1 was out of date and has been regenerated: review and commit it");
        }
    }

    @Test
    void groffRendersThePageWithoutWarnings(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        org.assertj.core.api.Assumptions.assumeThat(Path.of("/usr/bin/groff")).as("groff is installed").exists();
        Path page = Files.writeString(tmp.resolve("monkey.1"), generated());
        Process groff = new ProcessBuilder("/usr/bin/groff", "-man", "-Tutf8", "-ww", "-z", page.toString())
                .redirectErrorStream(true).start();
        String warnings = new String(groff.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(groff.waitFor()).isZero();
        assertThat(warnings).isEmpty();
    }

    @Test
    void pageHasEveryCommandItsOptionsExamplesExitStatusAndEnvironment() {
        String page = generated();

        assertThat(page).startsWith(".\\\" Generated").contains(".TH MONKEY 1 ")
                .contains(".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH COMMANDS", ".SH \"EXIT STATUS\"", ".SH ENVIRONMENT", ".SH FILES");
        for (String command : new String[]{"implement", "chat", "usage", "models", "providers", "personas", "daemon",
                "daemon start", "daemon run", "config", "config set", "doctor", "completion"}) {
            assertThat(page).contains(".SS \"monkey " + command + "\"");
        }
        assertThat(page).contains("\\fB\\-o\\fR, \\fB\\-\\-write\\fR=\\fIDIR\\fR")
                .contains("Examples:")
                .contains(".B MONKEY_CODER_MODEL")
                .contains(".TP\n.B 3\nconfiguration or authentication");
        assertThat(page.lines().filter(l -> l.startsWith(".") && !l.matches("^\\.(\\\\\"|TH|SH|SS|TP|PP|B|I|RS|RE|nf|fi)( .*)?$")))
                .as("only the roff requests the page means to use").isEmpty();
    }
}
