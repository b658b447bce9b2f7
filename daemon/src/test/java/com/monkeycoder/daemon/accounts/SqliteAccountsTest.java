package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.testing.SharedStores;

/** The accounts contract with accounts, keys and the ledger in SQLite (limits in the real Redis). */
class SqliteAccountsTest extends AccountsContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.SQLITE;
    }
}
