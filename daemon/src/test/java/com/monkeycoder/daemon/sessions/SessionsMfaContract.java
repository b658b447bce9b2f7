package com.monkeycoder.daemon.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.monkeycoder.daemon.mfa.Base32;
import com.monkeycoder.daemon.mfa.Totp;
import com.monkeycoder.daemon.testing.MutableClock;
import com.monkeycoder.daemon.testing.SharedStores;
import com.monkeycoder.daemon.testing.TestGateway;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions (access and refresh tokens, rotation, reuse, expiry, revocation) and MFA (enrol, confirm, sign-ins that
 * need a code, replay, throttling, recovery codes, disable) on a shared gateway, written once and run against each
 * engine ({@link SqliteSessionsMfaTest}, {@link PostgresSessionsMfaTest}), with the real Redis.
 */
abstract class SessionsMfaContract {

    static final String JWT_SECRET = "jwt-test-secret-0123456789abcdef0123456789abcdef";
    static final String PASSWORD = "correct horse battery";
    /**
     * Sign-ins hash a password at 600,000 iterations; on a loaded machine that can pass the 5-second hold of the
     * routes without a key, which would close the connection under the test. What is tested here is not that hold.
     */
    static final Map<String, String> ENV = Map.of("JWT_SECRET_KEY", JWT_SECRET, "MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60",
            "MONKEY_CODER_ADMIN_EMAILS", "root@example.com");

    @TempDir
    Path home;

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    SharedStores stores;
    TestGateway gateway;

    abstract SharedStores.Engine engine();

    @BeforeEach
    void start() {
        stores = SharedStores.create(engine(), home);
        gateway = TestGateway.startShared(home, stores, ENV, clock);
    }

    @AfterEach
    void stop() {
        gateway.close();
        stores.close();
    }

    // --- helpers -------------------------------------------------------------------------------------------

    String register(String email) {
        HttpResponse<String> r = gateway.post("/v1/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}", (String) null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r).path("api_key").asText();
    }

    HttpResponse<String> session(String email, String code) {
        String totp = code == null ? "" : ",\"totp_code\":\"" + code + "\"";
        return gateway.post("/v1/auth/session", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"" + totp + "}",
                Map.of("User-Agent", "contract-test/1.0"));
    }

    JsonNode newSession(String email) {
        HttpResponse<String> r = session(email, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return TestGateway.json(r);
    }

    HttpResponse<String> login(String email, String code) {
        String totp = code == null ? "" : ",\"totp_code\":\"" + code + "\"";
        return gateway.post("/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"" + totp + "}",
                (String) null);
    }

    HttpResponse<String> refresh(String refreshToken) {
        return gateway.post("/v1/auth/session/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}", (String) null);
    }

    HttpResponse<String> demo(String bearer) {
        return gateway.post("/v1/execute", "{\"prompt\":\"hello\",\"model\":\"demo/monkey-demo\"}", bearer);
    }

    String code(byte[] secret) {
        return Totp.code(secret, clock.instant().getEpochSecond() / Totp.STEP_SECONDS);
    }

    static String reason(HttpResponse<String> r) {
        return TestGateway.json(r).path("error").path("details").path("reason").asText();
    }

    List<JsonNode> audit(String bearer) {
        JsonNode page = TestGateway.json(gateway.get("/v1/audit?limit=200", bearer));
        List<JsonNode> events = new ArrayList<>();
        page.path("events").forEach(events::add);
        return events;
    }

    List<String> actions(String bearer) {
        return audit(bearer).stream().map(e -> e.path("action").asText()).toList();
    }

    /** Enrols and confirms MFA with the key; answers the secret and the recovery codes. */
    record Enabled(byte[] secret, List<String> recoveryCodes, String confirmCode) {
    }

    Enabled enableMfa(String key) {
        HttpResponse<String> enrol = gateway.post("/v1/auth/mfa/enrol", "{\"password\":\"" + PASSWORD + "\"}", key);
        assertThat(enrol.statusCode()).as(enrol.body()).isEqualTo(200);
        byte[] secret = Base32.decode(TestGateway.json(enrol).path("secret").asText());
        String code = code(secret);
        HttpResponse<String> confirm = gateway.post("/v1/auth/mfa/confirm", "{\"code\":\"" + code + "\"}", key);
        assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
        List<String> codes = new ArrayList<>();
        TestGateway.json(confirm).path("recovery_codes").forEach(c -> codes.add(c.asText()));
        return new Enabled(secret, codes, code);
    }

    long count(String sql) throws Exception {
        try (Connection c = gateway.gateway().database().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    List<String> column(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = gateway.gateway().database().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    // --- sessions ------------------------------------------------------------------------------------------

    @Test
    void aSessionsAccessTokenWorksWhereAKeyDoesWithTheSessionScopes() {
        register("ada@example.com");
        JsonNode s = newSession("Ada@Example.com");

        String access = s.path("access_token").asText();
        assertThat(access.split("\\.")).hasSize(3);
        String header = new String(Base64.getUrlDecoder().decode(access.split("\\.")[0]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"HS256\"");
        assertThat(s.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(s.path("expires_in").asLong()).isEqualTo(900);
        assertThat(s.path("refresh_token").asText()).startsWith("mk-rt-");
        assertThat(s.path("session_id").asText()).startsWith("ses_");
        assertThat(s.path("refresh_expires_at").asText()).isEqualTo("2026-02-14T10:00:00Z");

        assertThat(demo(access).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/v1/auth/keys", access).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/v1/billing/usage", access).statusCode()).isEqualTo(200);
        // chat, keys and billing, but not admin: the full /v1/providers answer is for admins
        JsonNode sessions = TestGateway.json(gateway.get("/v1/auth/sessions", access));
        assertThat(sessions.path("sessions")).singleElement().satisfies(one -> {
            assertThat(one.path("id").asText()).isEqualTo(s.path("session_id").asText());
            assertThat(one.path("current").asBoolean()).isTrue();
            assertThat(one.path("client_address").asText()).isEqualTo("127.0.0.1");
            assertThat(one.path("user_agent").asText()).isEqualTo("contract-test/1.0");
            assertThat(one.path("created_at").asText()).isEqualTo("2026-01-15T10:00:00Z");
        });
    }

    @Test
    void anAdminsSessionCarriesTheAdminScopeAndOthersDoNot() {
        gateway.close();
        gateway = TestGateway.startShared(home, stores, Map.of("JWT_SECRET_KEY", JWT_SECRET,
                "MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60", "MONKEY_CODER_ADMIN_EMAILS", "boss@example.com"), clock);
        register("boss@example.com");
        register("bob@example.com");

        String boss = newSession("boss@example.com").path("access_token").asText();
        String bob = newSession("bob@example.com").path("access_token").asText();

        assertThat(scopeClaim(boss)).isEqualTo("chat keys billing admin");
        assertThat(scopeClaim(bob)).isEqualTo("chat keys billing");
        assertThat(gateway.get("/v1/audit?account=usr_x", bob).statusCode()).isEqualTo(403);
        assertThat(gateway.get("/v1/audit?account=usr_x", boss).statusCode()).isEqualTo(200);
    }

    static String scopeClaim(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return TestGateway.parse(payload).path("scope").asText();
    }

    @Test
    void refreshRotatesBothTokensAndTheOldRefreshTokenIsSpent() {
        register("bea@example.com");
        JsonNode first = newSession("bea@example.com");
        clock.advance(Duration.ofMinutes(5));

        HttpResponse<String> r = refresh(first.path("refresh_token").asText());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode second = TestGateway.json(r);
        assertThat(second.path("session_id").asText()).isEqualTo(first.path("session_id").asText());
        assertThat(second.path("refresh_token").asText()).isNotEqualTo(first.path("refresh_token").asText());
        assertThat(second.path("access_token").asText()).isNotEqualTo(first.path("access_token").asText());
        assertThat(demo(second.path("access_token").asText()).statusCode()).isEqualTo(200);
        JsonNode listed = TestGateway.json(gateway.get("/v1/auth/sessions", second.path("access_token").asText()))
                .path("sessions").get(0);
        assertThat(listed.path("last_used_at").asText()).isEqualTo("2026-01-15T10:05:00Z");
        assertThat(listed.path("expires_at").asText()).isEqualTo("2026-02-14T10:05:00Z");
    }

    @Test
    @DisplayName("disabling an account ends its sessions: enabling it again does not sign them back in")
    void disablingAnAccountEndsItsSessions() {
        register("dora@example.com");
        JsonNode s = newSession("dora@example.com");
        String admin = register("root@example.com");
        String id = TestGateway.json(gateway.get("/v1/auth/sessions", s.path("access_token").asText()))
                .path("sessions").path(0).path("id").asText();
        String account = TestGateway.json(gateway.get("/usage", s.path("access_token").asText())).path("user_id").asText();
        if (account.isEmpty()) {
            account = TestGateway.json(gateway.get("/v1/admin/accounts?email=dora", admin)).path("accounts").path(0)
                    .path("id").asText();
        }

        assertThat(gateway.post("/v1/admin/accounts/" + account + "/disable", "{\"reason\":\"stolen laptop\"}", admin)
                .statusCode()).isEqualTo(200);
        assertThat(gateway.post("/v1/admin/accounts/" + account + "/enable", "{}", admin).statusCode()).isEqualTo(200);

        assertThat(demo(s.path("access_token").asText()).statusCode()).isEqualTo(401);
        assertThat(refresh(s.path("refresh_token").asText()).statusCode()).isEqualTo(401);
        assertThat(newSession("dora@example.com").path("access_token").asText()).as("a new sign-in works").isNotEmpty();
        JsonNode revoked = TestGateway.json(gateway.get("/v1/audit?action=session_revoked&account=" + account, admin));
        assertThat(revoked.path("events")).singleElement().satisfies(e -> {
            assertThat(e.path("target").asText()).isEqualTo(id);
            assertThat(e.path("details").path("reason").asText()).isEqualTo("account_disabled");
        });
    }

    @Test
    @DisplayName("ended sessions are purged with their refresh tokens after the days they are kept; live ones keep every token")
    void endedSessionsArePurgedLiveOnesKeepTheirSpentTokens() throws Exception {
        register("pia@example.com");
        JsonNode ended = newSession("pia@example.com");
        JsonNode live = newSession("pia@example.com");
        JsonNode renewed = TestGateway.json(refresh(live.path("refresh_token").asText()));
        assertThat(gateway.delete("/v1/auth/session", ended.path("access_token").asText()).statusCode()).isEqualTo(204);

        try (com.monkeycoder.daemon.store.Database db = com.monkeycoder.daemon.store.Database.open(stores.databaseUrl(), 2)) {
            com.monkeycoder.daemon.sessions.JdbcSessionStore rows = new com.monkeycoder.daemon.sessions.JdbcSessionStore(db);
            assertThat(rows.purgeEnded(clock.millis() - Duration.ofDays(30).toMillis())).as("ended just now: kept").isZero();
            assertThat(rows.purgeEnded(clock.millis() + 1)).as("the revoked session").isEqualTo(1);
            assertThat(count(db, "SELECT COUNT(*) FROM auth_sessions")).isEqualTo(1);
            assertThat(count(db, "SELECT COUNT(*) FROM session_refresh_tokens")).as("the live session's two tokens")
                    .isEqualTo(2);
        }
        HttpResponse<String> reuse = refresh(live.path("refresh_token").asText());
        assertThat(reason(reuse)).as("a spent token of a live session is still recognised").isEqualTo("refresh_token_reused");
        assertThat(refresh(renewed.path("refresh_token").asText()).statusCode()).isEqualTo(401);
    }

    private static long count(com.monkeycoder.daemon.store.Database db, String sql) throws java.sql.SQLException {
        try (var c = db.connection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    @DisplayName("a spent refresh token presented again ends the whole family: every refresh and access token of it is 401")
    void reusingASpentRefreshTokenRevokesTheWholeFamily() {
        register("cal@example.com");
        JsonNode first = newSession("cal@example.com");
        JsonNode second = TestGateway.json(refresh(first.path("refresh_token").asText()));
        String key = TestGateway.json(login("cal@example.com", null)).path("api_key").asText();

        HttpResponse<String> reuse = refresh(first.path("refresh_token").asText());

        assertThat(reuse.statusCode()).isEqualTo(401);
        assertThat(reason(reuse)).isEqualTo("refresh_token_reused");
        assertThat(refresh(second.path("refresh_token").asText()).statusCode()).as("the live token of the family").isEqualTo(401);
        assertThat(demo(second.path("access_token").asText()).statusCode()).isEqualTo(401);
        assertThat(demo(first.path("access_token").asText()).statusCode()).isEqualTo(401);
        assertThat(TestGateway.json(gateway.get("/v1/auth/sessions", key)).path("sessions")).isEmpty();
        assertThat(audit(key)).filteredOn(e -> e.path("action").asText().equals("session_revoked"))
                .singleElement().satisfies(e -> {
                    assertThat(e.path("details").path("reason").asText()).isEqualTo("refresh_token_reused");
                    assertThat(e.path("target").asText()).isEqualTo(first.path("session_id").asText());
                });
    }

    @Test
    void accessTokensExpireAfterTheirMinutesAndSessionsAfterTheirDaysWithoutARefresh() {
        register("dan@example.com");
        JsonNode s = newSession("dan@example.com");
        String access = s.path("access_token").asText();

        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(demo(access).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(demo(access).statusCode()).isEqualTo(401);

        JsonNode renewed = TestGateway.json(refresh(s.path("refresh_token").asText()));
        assertThat(demo(renewed.path("access_token").asText()).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofDays(30));
        HttpResponse<String> late = refresh(renewed.path("refresh_token").asText());
        assertThat(late.statusCode()).isEqualTo(401);
        assertThat(late.body()).contains("expired");
    }

    @Test
    void endingASessionStopsItsAccessAndRefreshTokensAtOnce() {
        register("eve@example.com");
        JsonNode mine = newSession("eve@example.com");
        JsonNode other = newSession("eve@example.com");
        String access = mine.path("access_token").asText();

        HttpResponse<String> out = gateway.delete("/v1/auth/session", access);

        assertThat(out.statusCode()).isEqualTo(204);
        assertThat(demo(access).statusCode()).isEqualTo(401);
        assertThat(refresh(mine.path("refresh_token").asText()).statusCode()).isEqualTo(401);
        String otherAccess = other.path("access_token").asText();
        assertThat(demo(otherAccess).statusCode()).as("the account's other session lives on").isEqualTo(200);

        // ended from elsewhere, by id
        HttpResponse<String> byId = gateway.delete("/v1/auth/sessions/" + other.path("session_id").asText(), otherAccess);
        assertThat(byId.statusCode()).isEqualTo(204);
        assertThat(demo(otherAccess).statusCode()).isEqualTo(401);
        assertThat(refresh(other.path("refresh_token").asText()).statusCode()).isEqualTo(401);
    }

    @Test
    void anotherAccountCannotSeeOrEndMySessionsAndAKeyCannotEndTheCurrentSession() {
        register("fay@example.com");
        String mallory = register("mallory@example.com");
        JsonNode fay = newSession("fay@example.com");

        HttpResponse<String> r = gateway.delete("/v1/auth/sessions/" + fay.path("session_id").asText(), mallory);

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(TestGateway.json(gateway.get("/v1/auth/sessions", mallory)).path("sessions")).isEmpty();
        assertThat(demo(fay.path("access_token").asText()).statusCode()).isEqualTo(200);
        assertThat(gateway.delete("/v1/auth/session", mallory).statusCode()).isEqualTo(400);
        String ci = TestGateway.json(gateway.post("/v1/auth/keys", "{\"name\":\"ci\"}", mallory)).path("api_key").asText();
        assertThat(gateway.get("/v1/auth/sessions", ci).statusCode()).as("a chat-only key").isEqualTo(403);
    }

    @Test
    @DisplayName("forged, tampered, unsigned and expired tokens are all 401")
    void forgedTokensAreRefused() throws Exception {
        register("gus@example.com");
        JsonNode s = newSession("gus@example.com");
        String access = s.path("access_token").asText();
        String[] parts = access.split("\\.");
        JWTClaimsSet claims = SignedJWT.parse(access).getJWTClaimsSet();
        JWTClaimsSet admin = new JWTClaimsSet.Builder(claims).claim("scope", "chat keys billing admin").build();

        String otherKey = sign(admin, "another-secret-0123456789abcdef0123456789abcdef");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(admin.toString().getBytes(StandardCharsets.UTF_8)) + ".";
        String swappedPayload = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(admin.toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String expired = sign(new JWTClaimsSet.Builder(claims).expirationTime(Date.from(clock.instant())).build(), JWT_SECRET);
        String otherIssuer = sign(new JWTClaimsSet.Builder(claims).issuer("someone-else").build(), JWT_SECRET);

        for (String forged : List.of(otherKey, none, swappedPayload, expired, otherIssuer, "not.a.jwt", parts[0])) {
            HttpResponse<String> r = demo(forged);
            assertThat(r.statusCode()).as(forged).isEqualTo(401);
            assertThat(r.body()).doesNotContain(JWT_SECRET);
        }
        assertThat(demo(sign(claims, JWT_SECRET)).statusCode()).as("the control: our own signature").isEqualTo(200);
    }

    static String sign(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void wrongPasswordsAreAuditedAsFailedSessionsAndTokensAreStoredOnlyAsHashes() throws Exception {
        String key = register("hal@example.com");
        HttpResponse<String> wrong = gateway.post("/v1/auth/session",
                "{\"email\":\"hal@example.com\",\"password\":\"not the password\"}", (String) null);
        assertThat(wrong.statusCode()).isEqualTo(401);
        JsonNode s = newSession("hal@example.com");
        gateway.delete("/v1/auth/session", s.path("access_token").asText());

        assertThat(actions(key)).contains("session_failed", "session_created", "session_revoked");
        assertThat(audit(key)).filteredOn(e -> e.path("action").asText().equals("session_failed")).singleElement()
                .satisfies(e -> assertThat(e.path("details").path("reason").asText()).isEqualTo("wrong_password"));
        List<String> stored = column("SELECT token_hash FROM session_refresh_tokens");
        assertThat(stored).singleElement().asString().hasSize(64).doesNotContain(s.path("refresh_token").asText());
    }

    @Test
    void withoutJwtSecretKeyTheSessionRoutesAnswer503NamingItAndKeysStillWork() {
        gateway.close();
        gateway = TestGateway.startShared(home, stores, Map.of("MONKEY_CODER_UNAUTHENTICATED_TIMEOUT", "60"), clock);
        String key = register("ivy@example.com");

        for (HttpResponse<String> r : List.of(session("ivy@example.com", null), refresh("mk-rt-x"),
                gateway.get("/v1/auth/sessions", key))) {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("JWT_SECRET_KEY");
        }
        assertThat(demo(key).statusCode()).isEqualTo(200);
        assertThat(demo("eyJhbGciOiJIUzI1NiJ9.e30.x").statusCode()).isEqualTo(401);
    }

    // --- MFA -----------------------------------------------------------------------------------------------

    @Test
    void enrolmentNeedsThePasswordAndAKeyWithTheKeysScopeAndStoresTheSecretSealed() throws Exception {
        String key = register("jo@example.com");
        String ci = TestGateway.json(gateway.post("/v1/auth/keys", "{\"name\":\"ci\"}", key)).path("api_key").asText();

        assertThat(gateway.post("/v1/auth/mfa/enrol", "{}", key).statusCode()).isEqualTo(422);
        assertThat(gateway.post("/v1/auth/mfa/enrol", "{\"password\":\"wrong password\"}", key).statusCode()).isEqualTo(401);
        assertThat(gateway.post("/v1/auth/mfa/enrol", "{\"password\":\"" + PASSWORD + "\"}", ci).statusCode()).isEqualTo(403);

        HttpResponse<String> enrol = gateway.post("/v1/auth/mfa/enrol", "{\"password\":\"" + PASSWORD + "\"}", key);
        assertThat(enrol.statusCode()).isEqualTo(200);
        String secret = TestGateway.json(enrol).path("secret").asText();
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat(TestGateway.json(enrol).path("otpauth_uri").asText())
                .isEqualTo("otpauth://totp/Monkey%20Coder:jo%40example.com?secret=" + secret + "&issuer=Monkey%20Coder");
        assertThat(TestGateway.json(gateway.get("/v1/auth/mfa", key)).path("pending").asBoolean()).isTrue();
        assertThat(login("jo@example.com", null).statusCode()).as("pending is not on yet").isEqualTo(200);

        List<String> sealed = column("SELECT secret_sealed FROM mfa_secrets");
        assertThat(sealed).singleElement().asString().startsWith("v1.").doesNotContain(secret)
                .doesNotContain(Base64.getEncoder().encodeToString(Base32.decode(secret)));
    }

    @Test
    @DisplayName("enrol, confirm, sign-ins need the code, replay refused, five wrong codes 429, recovery once, disable needs a code")
    void theWholeMfaLifeCycle() throws Exception {
        String key = register("kim@example.com");
        HttpResponse<String> enrol = gateway.post("/v1/auth/mfa/enrol", "{\"password\":\"" + PASSWORD + "\"}", key);
        byte[] secret = Base32.decode(TestGateway.json(enrol).path("secret").asText());
        HttpResponse<String> badConfirm = gateway.post("/v1/auth/mfa/confirm", "{\"code\":\"000000\"}", key);
        assertThat(badConfirm.statusCode()).isEqualTo(401);
        String firstCode = code(secret);
        HttpResponse<String> confirm = gateway.post("/v1/auth/mfa/confirm", "{\"code\":\"" + firstCode + "\"}", key);
        assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
        List<String> recovery = new ArrayList<>();
        TestGateway.json(confirm).path("recovery_codes").forEach(c -> recovery.add(c.asText()));
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates();
        assertThat(column("SELECT code_hash FROM mfa_recovery_codes")).hasSize(10).doesNotContainAnyElementsOf(recovery);
        JsonNode status = TestGateway.json(gateway.get("/v1/auth/mfa", key));
        assertThat(status.path("enabled").asBoolean()).isTrue();
        assertThat(status.path("recovery_codes_left").asInt()).isEqualTo(10);

        // Sign-ins now need the code; missing is mfa_required, which the CLI recognises.
        HttpResponse<String> noCode = login("kim@example.com", null);
        assertThat(noCode.statusCode()).isEqualTo(401);
        assertThat(reason(noCode)).isEqualTo("mfa_required");
        assertThat(reason(session("kim@example.com", null))).isEqualTo("mfa_required");
        // The confirming code was taken: not again in its window.
        HttpResponse<String> replay = login("kim@example.com", firstCode);
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(reason(replay)).isEqualTo("mfa_invalid");
        clock.advance(Duration.ofSeconds(30));
        String next = code(secret);
        assertThat(login("kim@example.com", next).statusCode()).isEqualTo(200);
        assertThat(session("kim@example.com", next).statusCode()).as("the same code on the other route").isEqualTo(401);

        // A fresh 15-minute window: five wrong codes, then even the right one is 429.
        clock.advance(Duration.ofMinutes(15));
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> wrong = login("kim@example.com", "123456".equals(code(secret)) ? "654321" : "123456");
            assertThat(wrong.statusCode()).as("wrong code " + (i + 1)).isEqualTo(401);
        }
        HttpResponse<String> throttled = login("kim@example.com", code(secret));
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(reason(throttled)).isEqualTo("mfa_throttled");
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(session("kim@example.com", code(secret)).statusCode()).isEqualTo(429);

        // The next window: a recovery code works once, typed loosely.
        clock.advance(Duration.ofMinutes(15));
        HttpResponse<String> recovered = login("kim@example.com", recovery.get(0).toUpperCase());
        assertThat(recovered.statusCode()).as(recovered.body()).isEqualTo(200);
        assertThat(login("kim@example.com", recovery.get(0)).statusCode()).isEqualTo(401);
        assertThat(session("kim@example.com", recovery.get(1)).statusCode()).isEqualTo(201);
        assertThat(TestGateway.json(gateway.get("/v1/auth/mfa", key)).path("recovery_codes_left").asInt()).isEqualTo(8);

        // Disabling needs a code.
        assertThat(gateway.post("/v1/auth/mfa/disable", "{}", key).statusCode()).isEqualTo(422);
        assertThat(gateway.post("/v1/auth/mfa/disable", "{\"code\":\"" + ("000000".equals(code(secret)) ? "111111" : "000000")
                + "\"}", key).statusCode()).isEqualTo(401);
        HttpResponse<String> disabled = gateway.post("/v1/auth/mfa/disable", "{\"code\":\"" + code(secret) + "\"}", key);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(TestGateway.json(gateway.get("/v1/auth/mfa", key)).path("enabled").asBoolean()).isFalse();
        assertThat(login("kim@example.com", null).statusCode()).isEqualTo(200);
        assertThat(count("SELECT COUNT(*) FROM mfa_recovery_codes")).isZero();

        List<JsonNode> events = audit(key);
        assertThat(events).extracting(e -> e.path("action").asText())
                .contains("mfa_enabled", "mfa_disabled", "mfa_recovery_used", "login_failed", "session_failed",
                        "session_created");
        assertThat(events).filteredOn(e -> e.path("action").asText().equals("login_failed"))
                .allSatisfy(e -> assertThat(e.path("details").path("reason").asText()).isEqualTo("mfa"));
        assertThat(events).filteredOn(e -> e.path("action").asText().equals("mfa_recovery_used")).hasSize(2);
        assertThat(events.toString()).doesNotContain(Base32.encode(secret)).doesNotContain(recovery.get(2));
    }

    @Test
    void mfaRoutesWorkWithASessionTokenAndEnrolmentCannotReplaceAnEnabledSecret() {
        register("lee@example.com");
        String access = newSession("lee@example.com").path("access_token").asText();
        Enabled on = enableMfa(access);

        HttpResponse<String> again = gateway.post("/v1/auth/mfa/enrol", "{\"password\":\"" + PASSWORD + "\"}", access);

        assertThat(again.statusCode()).isEqualTo(422);
        assertThat(TestGateway.json(gateway.get("/v1/auth/mfa", access)).path("enabled").asBoolean()).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(session("lee@example.com", code(on.secret())).statusCode()).isEqualTo(201);
    }

    @Test
    @DisplayName("wrong codes sent all at once are still only five guesses: the rest are 429 before they are checked")
    void parallelWrongCodesGetNoMoreThanFiveGuesses() {
        String key = register("par@example.com");
        Enabled on = enableMfa(key);
        long now = clock.instant().getEpochSecond() / Totp.STEP_SECONDS;
        List<String> valid = List.of(Totp.code(on.secret(), now - 1), Totp.code(on.secret(), now),
                Totp.code(on.secret(), now + 1));
        List<String> guesses = new ArrayList<>();
        for (int i = 0; guesses.size() < 40; i++) {
            String guess = String.format("%06d", 100_000 + i);
            if (!valid.contains(guess)) {
                guesses.add(guess);
            }
        }

        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = guesses.stream()
                .map(g -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return gateway.post("/v1/auth/mfa/disable", "{\"code\":\"" + g + "\"}", key);
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())).toList();
        go.countDown();
        List<Integer> statuses = calls.stream().map(c -> c.join().statusCode()).toList();

        assertThat(statuses).filteredOn(st -> st == 401).as("guesses checked").hasSizeLessThanOrEqualTo(5);
        assertThat(statuses).filteredOn(st -> st == 429).hasSizeGreaterThanOrEqualTo(35);
        assertThat(TestGateway.json(gateway.get("/v1/auth/mfa", key)).path("enabled").asBoolean()).isTrue();
    }

    @Test
    void anotherAccountsCodeOrARecoveryCodeOfAnotherAccountDoesNotWork() {
        String a = register("max@example.com");
        String b = register("ned@example.com");
        Enabled onA = enableMfa(a);
        Enabled onB = enableMfa(b);
        clock.advance(Duration.ofSeconds(30));

        assertThat(login("max@example.com", onB.recoveryCodes().get(0)).statusCode()).isEqualTo(401);
        assertThat(login("ned@example.com", onA.recoveryCodes().get(0)).statusCode()).isEqualTo(401);
        assertThat(login("max@example.com", onA.recoveryCodes().get(0)).statusCode()).isEqualTo(200);
    }
}
