package com.monkeycoder.daemon.auth;

import java.util.Optional;

/** Decides who a presented key belongs to; empty when it belongs to no one (or is revoked or expired). */
public interface Authenticator {

    Optional<Caller> authenticate(String presentedKey);
}
