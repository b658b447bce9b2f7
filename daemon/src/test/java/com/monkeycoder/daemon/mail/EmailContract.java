package com.monkeycoder.daemon.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.OpenAiFixtures;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import jakarta.mail.internet.MimeMessage;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mail from a shared gateway, received by GreenMail (an SMTP server in the test, on a random port): verification
 * with its starter credits, password reset, the new-key and low-credit notices. Written once and run on each engine
 * ({@link SqliteEmailTest}, {@link PostgresEmailTest}) with the real Redis for throttles.
 */
abstract class EmailContract {

    static final String PUBLIC_URL = "https://gateway.example.test";
    static final String SMTP_PASSWORD = "smtp-pass-Zq81xk";
    static final String PASSWORD = "correct horse battery";
    static final Pattern VERIFY_LINK = Pattern.compile(Pattern.quote(PUBLIC_URL) + "(/v1/auth/verify\\?token=\\S+)");
    static final Pattern RESET_TOKEN = Pattern.compile("monkey auth reset-password (mkr_\\S+)");

    @TempDir
    Path home;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    final LogCapture logs = new LogCapture();
    SharedStores stores;
    GreenMail smtp;
    MockWebServer openai;
    TestGateway gateway;

    abstract SharedStores.Engine engine();

    @BeforeEach
    void start() throws IOException {
        logs.start();
        stores = SharedStores.create(engine(), home);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.setUser("mailer@example.test", "mailer", SMTP_PASSWORD);
        smtp.start();
        openai = new MockWebServer();
        openai.setDispatcher(new okhttp3.mockwebserver.Dispatcher() {
            @Override
            public okhttp3.mockwebserver.MockResponse dispatch(okhttp3.mockwebserver.RecordedRequest request) {
                return OpenAiFixtures.json(200, "chat-completion.json");
            }
        });
        openai.start();
        Map<String, String> env = new HashMap<>();
        env.put("SMTP_URL", "smtp://mailer:" + SMTP_PASSWORD + "@127.0.0.1:" + smtp.getSmtp().getPort() + "?tls=none");
        env.put("MONKEY_CODER_MAIL_FROM", "Monkey Coder <noreply@example.test>");
        env.put("MONKEY_CODER_PUBLIC_URL", PUBLIC_URL + "/");
        env.put("MONKEY_CODER_LOW_CREDIT_THRESHOLD_USD", "0.50");
        // Password hashing is slow on purpose; on a busy machine it can outlast the 5 s given to routes without a key.
        env.put("MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60");
        env.put("OPENAI_API_KEY", "sk-test-upstream-key-0000");
        env.put("OPENAI_BASE_URL", openai.url("/v1").toString());
        gateway = TestGateway.startShared(home, stores, env, clock);
    }

    @AfterEach
    void stop() throws IOException {
        try {
            gateway.close();
            openai.shutdown();
            smtp.stop();
            stores.close();
        } finally {
            logs.stop();
        }
        assertThat(logs.text()).doesNotContain(SMTP_PASSWORD).doesNotContain("mkv_")
                .doesNotContain("mkr_");
    }

    // --- helpers -------------------------------------------------------------------------------------------

    JsonNode register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    /** Waits for the {@code count}-th mail in all and returns every mail so far. */
    List<MimeMessage> mails(int count) {
        assertThat(smtp.waitForIncomingEmail(10_000, count)).as("%d mails arrived", count).isTrue();
        return Arrays.asList(smtp.getReceivedMessages());
    }

    static String to(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new AssertionError(e);
        }
    }

    /** The mail's text as its reader sees it, quoted-printable decoded. */
    static String body(MimeMessage m) {
        try {
            return (String) m.getContent();
        } catch (jakarta.mail.MessagingException | IOException e) {
            throw new AssertionError(e);
        }
    }

    static String find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in:%n%s", pattern, text).isTrue();
        return m.group(1);
    }

    /** The mail's link, opened on this test's gateway: the public URL names a host this test does not have. */
    HttpResponse<String> follow(String pathAndQuery) {
        return gateway.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + pathAndQuery)).GET().build());
    }

    long balance(String key) {
        return TestGateway.json(gateway.get("/usage", key)).path("credit_micros").asLong();
    }

    HttpResponse<String> login(String email, String password) {
        return gateway.post("/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}",
                (String) null);
    }

    String forgotAndReadToken(String email, int mailsSoFar) {
        HttpResponse<String> r = gateway.post("/v1/auth/password/forgot", "{\"email\":\"" + email + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        MimeMessage mail = mails(mailsSoFar + 1).get(mailsSoFar);
        assertThat(to(mail)).isEqualTo(email.strip().toLowerCase(java.util.Locale.ROOT));
        assertThat(subject(mail)).isEqualTo("Reset your Monkey Coder password");
        return find(RESET_TOKEN, body(mail));
    }

    HttpResponse<String> reset(String token, String password) {
        return gateway.post("/v1/auth/password/reset", "{\"token\":\"" + token + "\",\"password\":\"" + password + "\"}",
                (String) null);
    }

    static String reason(HttpResponse<String> r) {
        return TestGateway.json(r).path("error").path("details").path("reason").asText();
    }

    // --- verification --------------------------------------------------------------------------------------

    @Test
    void registrationMailsALinkThatVerifiesAndGrantsTheStarterCreditsExactlyOnce() {
        JsonNode account = register("ada@example.com");
        String key = account.path("api_key").asText();
        assertThat(account.path("credit_micros").asLong()).as("no credits before verification").isZero();
        assertThat(account.path("verification_sent").asBoolean()).isTrue();
        assertThat(balance(key)).isZero();

        MimeMessage mail = mails(1).getFirst();
        assertThat(to(mail)).isEqualTo("ada@example.com");
        assertThat(subject(mail)).isEqualTo("Verify your email for Monkey Coder");
        String text = body(mail);
        assertThat(text).contains("starter credits ($1.00)").doesNotContain(key);
        String link = find(VERIFY_LINK, text);

        HttpResponse<String> first = follow(link);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(TestGateway.json(first).path("verified").asBoolean()).isTrue();
        assertThat(TestGateway.json(first).path("starter_credit_micros").asLong()).isEqualTo(1_000_000);
        assertThat(balance(key)).isEqualTo(1_000_000);

        HttpResponse<String> again = follow(link);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(reason(again)).isEqualTo("token_used");
        HttpResponse<String> posted = gateway.post("/v1/auth/verify",
                "{\"token\":\"" + link.substring(link.indexOf('=') + 1) + "\"}", (String) null);
        assertThat(posted.statusCode()).isEqualTo(400);
        assertThat(balance(key)).as("following the link twice changes nothing").isEqualTo(1_000_000);

        JsonNode audit = TestGateway.json(gateway.get("/v1/audit?action=email_verified", key));
        assertThat(audit.path("events")).hasSize(1);
    }

    @Test
    void aResentMailVerifiesByPostAndTheStarterCreditsAreStillGrantedOnce() {
        JsonNode account = register("bo@example.com");
        String key = account.path("api_key").asText();
        mails(1);

        HttpResponse<String> resent = gateway.post("/v1/auth/verify/resend", "", key);
        assertThat(resent.statusCode()).as(resent.body()).isEqualTo(202);
        List<MimeMessage> all = mails(2);
        String firstToken = find(VERIFY_LINK, body(all.get(0))).replaceFirst(".*token=", "");
        String secondToken = find(VERIFY_LINK, body(all.get(1))).replaceFirst(".*token=", "");
        assertThat(secondToken).isNotEqualTo(firstToken);

        HttpResponse<String> verified = gateway.post("/v1/auth/verify", "{\"token\":\"" + secondToken + "\"}", (String) null);
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        // Verifying spends every verification token of the account: the older mail's link is used up too.
        HttpResponse<String> older = gateway.post("/v1/auth/verify", "{\"token\":\"" + firstToken + "\"}", (String) null);
        assertThat(reason(older)).isEqualTo("token_used");
        assertThat(balance(key)).isEqualTo(1_000_000);

        HttpResponse<String> resendAfter = gateway.post("/v1/auth/verify/resend", "", key);
        assertThat(resendAfter.statusCode()).isEqualTo(400);
        assertThat(reason(resendAfter)).isEqualTo("already_verified");
    }

    @Test
    void anExpiredOrForgedVerificationTokenIsRefused() {
        register("cy@example.com");
        String link = find(VERIFY_LINK, body(mails(1).getFirst()));

        HttpResponse<String> forged = follow("/v1/auth/verify?token=mkv_" + "A".repeat(43));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(reason(forged)).isEqualTo("token_unknown");
        assertThat(follow("/v1/auth/verify").statusCode()).isEqualTo(422);

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        HttpResponse<String> expired = follow(link);
        assertThat(expired.statusCode()).isEqualTo(400);
        assertThat(reason(expired)).isEqualTo("token_expired");
    }

    @Test
    void resendIsThrottledPerAccount() {
        String key = register("di@example.com").path("api_key").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.post("/v1/auth/verify/resend", "", key).statusCode()).isEqualTo(202);
        }
        HttpResponse<String> fourth = gateway.post("/v1/auth/verify/resend", "", key);
        assertThat(fourth.statusCode()).isEqualTo(429);
        assertThat(fourth.headers().firstValue("Retry-After")).isPresent();
        assertThat(gateway.post("/v1/auth/verify/resend", "", (String) null).statusCode()).isEqualTo(401);
    }

    // --- password reset ------------------------------------------------------------------------------------

    @Test
    void forgotMailsATokenThatSetsANewPasswordOnce() {
        String key = register("eve@example.com").path("api_key").asText();
        mails(1);
        String token = forgotAndReadToken("EVE@example.com ", 1);

        HttpResponse<String> done = reset(token, "a brand new passphrase");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);

        assertThat(login("eve@example.com", "a brand new passphrase").statusCode()).isEqualTo(200);
        assertThat(login("eve@example.com", PASSWORD).statusCode()).isEqualTo(401);
        HttpResponse<String> reused = reset(token, "yet another passphrase");
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(reason(reused)).isEqualTo("token_used");
        assertThat(login("eve@example.com", "a brand new passphrase").statusCode()).isEqualTo(200);
        // Keys stay valid across a reset (documented): the one register gave still works.
        assertThat(gateway.get("/v1/auth/keys", key).statusCode()).isEqualTo(200);

        MimeMessage changed = mails(3).get(2);
        assertThat(subject(changed)).isEqualTo("Your Monkey Coder password was changed");
        JsonNode audit = TestGateway.json(gateway.get("/v1/audit?action=password_reset", key));
        assertThat(audit.path("events")).hasSize(1);
    }

    @Test
    void aResetSignsTheAccountsDashboardBrowsersOut() {
        String key = register("dora@example.com").path("api_key").asText();
        mails(1);
        HttpResponse<String> signedIn = gateway.send(HttpRequest.newBuilder(gateway.uri("/dashboard/api/login"))
                .header("Content-Type", "application/json").header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"dora@example.com\",\"password\":\""
                        + PASSWORD + "\"}")).build());
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpRequest withCookie = HttpRequest.newBuilder(gateway.uri("/v1/auth/keys")).header("Cookie", cookie)
                .header("Sec-Fetch-Site", "same-origin").GET().build();
        assertThat(gateway.send(withCookie).statusCode()).isEqualTo(200);

        // whoever signed that browser in with the old password is out once the owner resets it
        assertThat(reset(forgotAndReadToken("dora@example.com", 1), "a brand new passphrase").statusCode()).isEqualTo(200);
        assertThat(gateway.send(withCookie).statusCode()).isEqualTo(401);
        JsonNode audit = TestGateway.json(gateway.get("/v1/audit?action=session_revoked", key));
        assertThat(audit.path("events").toString()).contains("password_reset", "web_");
    }

    @Test
    void anExpiredResetTokenIsRefusedAndTheOldPasswordStays() {
        register("fay@example.com");
        mails(1);
        String token = forgotAndReadToken("fay@example.com", 1);

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        HttpResponse<String> late = reset(token, "a brand new passphrase");

        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(reason(late)).isEqualTo("token_expired");
        assertThat(login("fay@example.com", PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void forgotForAnUnknownEmailAnswersTheSameAndSendsNothing() {
        register("gus@example.com");
        mails(1);

        HttpResponse<String> unknown = gateway.post("/v1/auth/password/forgot", "{\"email\":\"nobody@example.com\"}",
                (String) null);
        assertThat(unknown.statusCode()).isEqualTo(202);

        // One sender thread sends in order: once the next mail is in, the unknown email's would have been too.
        forgotAndReadToken("gus@example.com", 1);
        assertThat(mails(2)).extracting(EmailContract::to).containsExactly("gus@example.com", "gus@example.com");
        assertThat(TestGateway.json(unknown).toString()).isEqualTo(TestGateway.json(gateway.post(
                "/v1/auth/password/forgot", "{\"email\":\"gus@example.com\"}", (String) null)).toString());
    }

    @Test
    void forgotIsThrottledPerEmail() {
        register("hal@example.com");
        for (int i = 0; i < 3; i++) {
            assertThat(gateway.post("/v1/auth/password/forgot", "{\"email\":\"hal@example.com\"}", (String) null)
                    .statusCode()).isEqualTo(202);
        }
        HttpResponse<String> fourth = gateway.post("/v1/auth/password/forgot", "{\"email\":\"hal@example.com\"}",
                (String) null);
        assertThat(fourth.statusCode()).isEqualTo(429);
        // An unknown email is throttled the same way: a 429 tells nothing about who has an account.
        for (int i = 0; i < 3; i++) {
            gateway.post("/v1/auth/password/forgot", "{\"email\":\"ghost@example.com\"}", (String) null);
        }
        assertThat(gateway.post("/v1/auth/password/forgot", "{\"email\":\"ghost@example.com\"}", (String) null)
                .statusCode()).isEqualTo(429);
    }

    @Test
    void resetRefusesForgedTokensWeakPasswordsAndMissingFields() {
        register("ida@example.com");
        mails(1);
        String token = forgotAndReadToken("ida@example.com", 1);

        assertThat(reason(reset("mkr_" + "B".repeat(43), "a brand new passphrase"))).isEqualTo("token_unknown");
        assertThat(reason(reset(token.replace("mkr_", "mkv_"), "a brand new passphrase"))).isEqualTo("token_unknown");
        HttpResponse<String> weak = reset(token, "short");
        assertThat(weak.statusCode()).isEqualTo(422);
        assertThat(gateway.post("/v1/auth/password/reset", "{\"password\":\"a brand new passphrase\"}", (String) null)
                .statusCode()).isEqualTo(422);
        // A refused attempt spends nothing: the real token still works.
        assertThat(reset(token, "a brand new passphrase").statusCode()).isEqualTo(200);
    }

    // --- notices -------------------------------------------------------------------------------------------

    @Test
    void aNewKeyIsAnnouncedWithItsNameAndPrefixButNeverTheKey() {
        String key = register("jo@example.com").path("api_key").asText();
        mails(1);

        HttpResponse<String> created = gateway.post("/v1/auth/keys", "{\"name\":\"ci runner\"}", key);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode newKey = TestGateway.json(created);

        MimeMessage notice = mails(2).get(1);
        assertThat(subject(notice)).isEqualTo("A new Monkey Coder API key was created");
        assertThat(body(notice)).contains("ci runner").contains(newKey.path("prefix").asText())
                .contains("127.0.0.1").contains(newKey.path("key_id").asText())
                .doesNotContain(newKey.path("api_key").asText()).doesNotContain(key);
    }

    @Test
    void aBalanceFallingBelowTheThresholdIsToldOncePerCrossing() throws Exception {
        JsonNode account = register("kim@example.com");
        String key = account.path("api_key").asText();
        String id = account.path("user_id").asText();
        mails(1);
        var store = gateway.gateway().accounts();
        store.setCredits(id, 500_000); // exactly the threshold: not below it yet

        assertThat(priced(key).statusCode()).isEqualTo(200);
        MimeMessage notice = mails(2).get(1);
        assertThat(subject(notice)).isEqualTo("Your Monkey Coder credits are running low");
        assertThat(body(notice)).contains("below $0.50");

        assertThat(priced(key).statusCode()).isEqualTo(200);
        Thread.sleep(300);
        assertThat(smtp.getReceivedMessages()).as("still below: no second notice").hasSize(2);

        store.setCredits(id, 5_000_000); // credits bought: above again, which the next request's check sees
        assertThat(priced(key).statusCode()).isEqualTo(200);
        waitUntilNotMarked(id);
        store.setCredits(id, 500_000);
        assertThat(priced(key).statusCode()).isEqualTo(200);
        assertThat(mails(3)).extracting(EmailContract::subject).containsExactly("Verify your email for Monkey Coder",
                "Your Monkey Coder credits are running low", "Your Monkey Coder credits are running low");
    }

    HttpResponse<String> priced(String key) {
        return gateway.post("/v1/chat/completions", "{\"model\":\"openai/gpt-4.1-mini\",\"max_tokens\":16,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"tell me a joke\"}]}", key);
    }

    /** The low-credit check runs after the request on its own thread: wait for its mark to be cleared. */
    void waitUntilNotMarked(String accountId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (var c = gateway.gateway().database().connection();
                 var ps = c.prepareStatement("SELECT low_credit_notified_ms FROM accounts WHERE id = ?")) {
                ps.setString(1, accountId);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    rs.getLong(1);
                    if (rs.wasNull()) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the low-credit mark was never cleared");
    }
}
