package com.monkeycoder.daemon.billing;

import com.monkeycoder.daemon.testing.SharedStores;

/** The billing contract with accounts and billing rows in a SQLite file. */
class SqliteBillingTest extends BillingContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.SQLITE;
    }
}
