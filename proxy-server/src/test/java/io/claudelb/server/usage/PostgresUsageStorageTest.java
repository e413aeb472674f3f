package io.claudelb.server.usage;

import io.claudelb.server.support.TestDatabase;

/** The usage storage contract on a real PostgreSQL server ({@link io.claudelb.server.support.PostgresServer}). */
class PostgresUsageStorageTest extends UsageStorageContract {
    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }
}
