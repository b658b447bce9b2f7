package com.monkeycoder.daemon.auth;

import java.util.Optional;

/**
 * What a shared gateway accepts as a bearer: an {@code mk-} key, looked up as keys are, or else a session's access
 * token (a JWT). The two never overlap: a key always starts with {@code mk-}, a JWT never does.
 */
public final class BearerAuthenticator implements Authenticator {

    private final Authenticator keys;
    private final Authenticator accessTokens;

    public BearerAuthenticator(Authenticator keys, Authenticator accessTokens) {
        this.keys = keys;
        this.accessTokens = accessTokens;
    }

    @Override
    public Optional<Caller> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        return presented.strip().startsWith("mk-") ? keys.authenticate(presented) : accessTokens.authenticate(presented);
    }
}
