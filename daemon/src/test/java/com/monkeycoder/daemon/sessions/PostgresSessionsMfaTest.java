package com.monkeycoder.daemon.sessions;

import com.monkeycoder.daemon.testing.SharedStores;

/** The sessions and MFA contract with accounts in the real PostgreSQL, a schema of its own. */
class PostgresSessionsMfaTest extends SessionsMfaContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.POSTGRES;
    }
}
