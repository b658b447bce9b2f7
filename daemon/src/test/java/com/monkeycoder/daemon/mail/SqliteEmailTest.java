package com.monkeycoder.daemon.mail;

import com.monkeycoder.daemon.testing.SharedStores;

/** The mail contract with accounts and tokens in SQLite (throttles in the real Redis). */
class SqliteEmailTest extends EmailContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.SQLITE;
    }
}
