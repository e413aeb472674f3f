package io.claudelb.server.usage;

import io.claudelb.server.support.TestDatabase;

/** The usage storage contract on an embedded SQLite file (the default storage). */
class SqliteUsageStorageTest extends UsageStorageContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }
}
