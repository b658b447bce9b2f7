package com.monkeycoder.daemon.audit;

import com.monkeycoder.daemon.testing.SharedStores;

/** The audit contract on SQLite (limits in the real Redis). */
class SqliteAuditTest extends AuditContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.SQLITE;
    }
}
