package com.monkeycoder.daemon.admin;

import com.monkeycoder.daemon.testing.SharedStores;

/** The admin contract with accounts, keys and the ledger in SQLite (limits and signals in the real Redis). */
class SqliteAdminTest extends AdminContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.SQLITE;
    }
}
