package com.monkeycoder.daemon.sessions;

import com.monkeycoder.daemon.testing.SharedStores;

/** The sessions and MFA contract with accounts in a SQLite file (a single-machine gateway). */
class SqliteSessionsMfaTest extends SessionsMfaContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.SQLITE;
    }
}
