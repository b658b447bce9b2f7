package com.monkeycoder.cli.auth;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.monkeycoder.cli.CliContext;
import com.monkeycoder.cli.CliRun;
import com.monkeycoder.cli.ExitCodes;
import com.monkeycoder.cli.terminal.Stdin;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code monkey auth verify}, {@code forgot-password} and {@code reset-password} against a shared gateway that mails
 * through GreenMail (an SMTP server in the test): the tokens are read from the mails, as a user would.
 */
class AuthEmailCommandsTest {

    @TempDir
    Path gatewayHome;

    @TempDir
    Path cliHome;

    private SharedStores stores;
    private GreenMail smtp;
    private TestGateway gateway;
    private Map<String, String> env;

    @BeforeEach
    void start() {
        stores = SharedStores.create(SharedStores.Engine.POSTGRES, gatewayHome);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        gateway = TestGateway.startShared(gatewayHome, stores, Map.of(
                "SMTP_URL", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "?tls=none",
                "MONKEY_CODER_MAIL_FROM", "noreply@example.test",
                "MONKEY_CODER_PUBLIC_URL", "https://gateway.example.test",
                // Password hashing is slow on purpose; on a busy machine it can outlast the 5 s given to routes without a key.
                "MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60"), new MutableClock(Instant.parse("2026-01-15T10:00:00Z")));
        env = new HashMap<>();
        env.put("MONKEY_CODER_HOME", cliHome.toString());
        env.put("MONKEY_CODER_BASE_URL", gateway.baseUrl());
        env.put("MONKEY_CODER_PASSWORD", "correct horse battery");
    }

    @AfterEach
    void stop() {
        gateway.close();
        smtp.stop();
        stores.close();
    }

    private String token(int mailNumber, String pattern) throws Exception {
        assertThat(smtp.waitForIncomingEmail(10_000, mailNumber)).isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[mailNumber - 1];
        Matcher m = Pattern.compile(pattern).matcher((String) mail.getContent());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void verifyTakesTheTokenOfTheRegistrationMail() throws Exception {
        CliRun register = CliRun.run(env, "auth", "register", "--email", "ada@example.com");
        assertThat(register.exitCode()).as(register.allOutput()).isZero();
        assertThat(register.out()).contains("credits $0.00").contains("A verification mail is on its way");

        CliRun verify = CliRun.run(env, "auth", "verify", token(1, "token=(mkv_\\w+)"));

        assertThat(verify.exitCode()).as(verify.allOutput()).isZero();
        assertThat(verify.out()).contains("Verified ada@example.com on " + gateway.baseUrl()
                + ": starter credits of $1.00 added.");
        CliRun status = CliRun.run(env, "auth", "status");
        assertThat(status.out()).contains("Credits  $1.00");
    }

    @Test
    void forgotPasswordThenResetPasswordWithThePipedNewPassword() throws Exception {
        assertThat(CliRun.run(env, "auth", "register", "--email", "bo@example.com").exitCode()).isZero();

        CliRun forgot = CliRun.run(env, "auth", "forgot-password", "bo@example.com");
        assertThat(forgot.exitCode()).as(forgot.allOutput()).isZero();
        assertThat(forgot.out()).contains("If bo@example.com has an account on " + gateway.baseUrl()
                + ", a reset mail is on its way.");
        String token = token(2, "reset-password (mkr_\\w+)");

        Map<String, String> noEnvPassword = CliRun.with(env, "MONKEY_CODER_PASSWORD", null);
        CliContext piped = new CliContext(noEnvPassword, false).withStdin(Stdin.piped("a brand new passphrase\n"));
        CliRun reset = CliRun.run(piped, "auth", "reset-password", token);
        assertThat(reset.exitCode()).as(reset.allOutput()).isZero();
        assertThat(reset.out()).contains("Password changed.");
        assertThat(reset.allOutput()).doesNotContain("a brand new passphrase");

        CliRun oldLogin = CliRun.run(env, "auth", "login", "--email", "bo@example.com");
        assertThat(oldLogin.exitCode()).isEqualTo(ExitCodes.CONFIG_OR_AUTH);
        CliRun newLogin = CliRun.run(CliRun.with(env, "MONKEY_CODER_PASSWORD", "a brand new passphrase"),
                "auth", "login", "--email", "bo@example.com");
        assertThat(newLogin.exitCode()).as(newLogin.allOutput()).isZero();

        CliRun again = CliRun.run(new CliContext(noEnvPassword, false).withStdin(Stdin.piped("another passphrase\n")),
                "auth", "reset-password", token);
        assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains("used already");
    }

    @Test
    void resetPasswordWithNothingPipedAndNoTerminalSaysHowToGiveThePassword() {
        CliRun run = CliRun.run(CliRun.with(env, "MONKEY_CODER_PASSWORD", null), "auth", "reset-password", "mkr_x");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("no new password");
    }
}
