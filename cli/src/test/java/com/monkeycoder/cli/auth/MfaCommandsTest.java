package com.monkeycoder.cli.auth;

import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.Monkey;
import com.monkeycoder.cli.terminal.Tty;
import com.monkeycoder.daemon.mfa.Base32;
import com.monkeycoder.daemon.mfa.Totp;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code monkey auth mfa} commands and {@code monkey auth login --totp} against a shared gateway on
 * PostgreSQL + Redis whose clock the test holds, with a terminal that answers what a person would type.
 */
class MfaCommandsTest {

    @TempDir
    Path gatewayHome;

    @TempDir
    Path cliHome;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    private SharedStores stores;
    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, gatewayHome);
        gateway = TestGateway.startShared(gatewayHome, stores, Map.of("MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60"), clock);
        env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", cliHome.toString());
        env.put("MONKEY_CODER_BASE_URL", gateway.baseUrl());
        env.put("MONKEY_CODER_PASSWORD", "correct horse battery");
    }

    @AfterEach
    void stop() {
        gateway.close();
        stores.close();
    }

    /** A run whose terminal answers each question with {@code answer} applied to what stdout held by then. */
    private record Run(int exitCode, String out, String err, List<String> questions) {
    }

    private Run run(Function<String, String> answer, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> questions = new ArrayList<>();
        Tty tty = new Tty() {
            @Override
            public boolean available() {
                return true;
            }

            @Override
            public Optional<String> ask(String question) {
                questions.add(question);
                return Optional.ofNullable(answer.apply(out.toString()));
            }
        };
        CliContext context = new CliContext(env, false).withTty(tty);
        CommandLine cl = Monkey.commandLineFor(context, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString(), questions);
    }

    private String codeNow(byte[] secret) {
        return Totp.code(secret, clock.instant().getEpochSecond() / Totp.STEP_SECONDS);
    }

    private static byte[] secretIn(String out) {
        Matcher m = Pattern.compile("secret=([A-Z2-7]+)&").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return Base32.decode(m.group(1));
    }

    @Test
    void enablePrintsTheUriAndAQrCodeAsksForACodeAndShowsTheRecoveryCodesOnce() {
        assertThat(CliRun.run(env, "auth", "register", "--email", "ada@example.com").exitCode()).isZero();

        Run enable = run(out -> codeNow(secretIn(out)), "auth", "mfa", "enable");

        assertThat(enable.exitCode()).as(enable.err()).isZero();
        assertThat(enable.out()).contains("otpauth://totp/Monkey%20Coder:ada%40example.com?secret=")
                .contains("&issuer=Monkey%20Coder");
        List<String> qr = enable.out().lines().filter(l -> !l.isBlank() && l.matches("[█▀▄ ]+")).toList();
        assertThat(qr).hasSizeGreaterThan(12);
        assertThat(qr).extracting(String::length).containsOnly(qr.getFirst().length());
        assertThat(qr.getFirst()).matches("█+").as("the quiet zone");
        assertThat(enable.questions()).containsExactly("Code from the app: ");
        List<String> recovery = enable.out().lines().map(String::strip).filter(l -> l.matches("[0-9a-z]{5}-[0-9a-z]{5}")).toList();
        assertThat(recovery).hasSize(10);
        assertThat(enable.err()).isEmpty();

        CliRun status = CliRun.run(env, "auth", "mfa", "status");
        assertThat(status.out()).contains("Two-factor authentication: on (10 recovery codes left)");
        assertThat(CliRun.run(env, "auth", "mfa", "status").out()).doesNotContain(recovery.getFirst());
    }

    @Test
    void loginAsksForTheCodeOrTakesTotpAndSaysWhyWhenItCannot() {
        assertThat(CliRun.run(env, "auth", "register", "--email", "bea@example.com").exitCode()).isZero();
        Run enable = run(out -> codeNow(secretIn(out)), "auth", "mfa", "enable");
        byte[] secret = secretIn(enable.out());

        // no terminal, no --totp: one line saying what to do
        CliRun noCode = CliRun.run(env, "auth", "login", "--email", "bea@example.com");
        assertThat(noCode.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noCode.errLines()).singleElement().asString()
                .startsWith("monkey: a two-factor code is needed").contains("--totp CODE");

        CliRun wrong = CliRun.run(env, "auth", "login", "--email", "bea@example.com", "--totp",
                "000000".equals(codeNow(secret)) ? "111111" : "000000");
        assertThat(wrong.exitCode()).as(wrong.allOutput()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        assertThat(wrong.errLines()).singleElement().asString().contains("two-factor code");

        clock.advance(Duration.ofSeconds(30));
        CliRun right = CliRun.run(env, "auth", "login", "--email", "bea@example.com", "--totp", codeNow(secret));
        assertThat(right.exitCode()).as(right.allOutput()).isZero();
        assertThat(right.out()).contains("Logged in as bea@example.com");

        clock.advance(Duration.ofSeconds(30));
        Run asked = run(out -> codeNow(secret), "auth", "login", "--email", "bea@example.com");
        assertThat(asked.exitCode()).as(asked.err()).isZero();
        assertThat(asked.questions()).containsExactly("Two-factor code (or a recovery code): ");

        clock.advance(Duration.ofSeconds(30));
        CliRun off = CliRun.run(env, "auth", "mfa", "disable", "--code", codeNow(secret));
        assertThat(off.exitCode()).as(off.allOutput()).isZero();
        assertThat(CliRun.run(env, "auth", "mfa", "status").out()).contains("Two-factor authentication: off");
        assertThat(CliRun.run(env, "auth", "login", "--email", "bea@example.com").exitCode()).isZero();
    }
}
