package com.monkeycoder.daemon.sessions;

import com.monkeycoder.daemon.auth.KeyScope;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A session's access tokens: JWTs signed with HS256 and {@code JWT_SECRET_KEY}, short-lived. They carry the account
 * ({@code sub}), the session ({@code sid}) and the scopes; nothing secret. Only HS256 is accepted (never {@code none}
 * nor another algorithm a forger might pick), with this issuer, and only before {@code exp} by the injected clock.
 */
public final class AccessTokens {

    static final String ISSUER = "monkey-coder";

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Clock clock;
    private final Duration lifetime;

    /** What a valid token says. */
    public record Claims(String accountId, String sessionId, Set<KeyScope> scopes, long expiresMs) {
    }

    /** @param secret at least 32 bytes (HS256 needs a 256-bit key) */
    public AccessTokens(byte[] secret, Clock clock, Duration lifetime) {
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("JWT_SECRET_KEY must be at least 32 bytes", e);
        }
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A signed token for the session, valid from now for the lifetime. */
    public String issue(String accountId, String sessionId, Set<KeyScope> scopes) {
        long now = clock.millis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(accountId)
                .claim("sid", sessionId)
                .claim("scope", String.join(" ", KeyScope.names(scopes)))
                .issueTime(new Date(now))
                .expirationTime(new Date(now + lifetime.toMillis()))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return jwt.serialize();
    }

    /** The token's claims when it is ours, untampered and unexpired; empty otherwise. */
    public Optional<Claims> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date expires = claims.getExpirationTime();
            String sessionId = claims.getStringClaim("sid");
            String scope = claims.getStringClaim("scope");
            if (!ISSUER.equals(claims.getIssuer()) || expires == null || clock.millis() >= expires.getTime()
                    || claims.getSubject() == null || sessionId == null || scope == null) {
                return Optional.empty();
            }
            return Optional.of(new Claims(claims.getSubject(), sessionId,
                    KeyScope.parseAll(scope.replace(' ', ',')), expires.getTime()));
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
