package com.monkeycoder.daemon.history;

import com.monkeycoder.daemon.testing.SharedStores;

/** The conversation store's contract on SQLite, as the local daemon keeps it. */
class SqliteConversationStoreTest extends ConversationStoreContract {

    @Override
    SharedStores.Engine engine() {
        return SharedStores.Engine.SQLITE;
    }
}
