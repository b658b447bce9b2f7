package com.monkeycoder.daemon.mail;

import com.monkeycoder.daemon.testing.SharedStores;

/** The mail contract with accounts and tokens in the real PostgreSQL, a schema of its own. */
class PostgresEmailTest extends EmailContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.POSTGRES;
    }
}
