package com.monkeycoder.daemon.accounts;

import com.monkeycoder.daemon.testing.SharedStores;

/** The accounts contract with accounts, keys and the ledger in the real PostgreSQL, a schema of its own. */
class PostgresAccountsTest extends AccountsContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.POSTGRES;
    }
}
