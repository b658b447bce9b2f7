package com.monkeycoder.daemon.audit;

import com.monkeycoder.daemon.testing.SharedStores;

/** The audit contract on the real PostgreSQL, in a schema of its own. */
class PostgresAuditTest extends AuditContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.POSTGRES;
    }
}
