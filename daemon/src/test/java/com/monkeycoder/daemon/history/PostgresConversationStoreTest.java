package com.monkeycoder.daemon.history;

import com.monkeycoder.daemon.testing.SharedStores;

/** The conversation store's contract on the real PostgreSQL, in a schema of its own. */
class PostgresConversationStoreTest extends ConversationStoreContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.POSTGRES;
    }
}
