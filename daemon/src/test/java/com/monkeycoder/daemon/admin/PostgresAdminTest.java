package com.monkeycoder.daemon.admin;

import com.monkeycoder.daemon.testing.SharedStores;

/** The admin contract with accounts, keys and the ledger in PostgreSQL (limits and signals in the real Redis). */
class PostgresAdminTest extends AdminContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.POSTGRES;
    }
}
