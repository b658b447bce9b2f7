package com.monkeycoder.daemon.billing;

import com.monkeycoder.daemon.testing.SharedStores;

/** The billing contract with accounts and billing rows in the real PostgreSQL, a schema of its own. */
class PostgresBillingTest extends BillingContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.POSTGRES;
    }
}
