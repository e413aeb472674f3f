package io.claudelb.server.usage;

import io.claudelb.server.support.PostgresServer;
import io.claudelb.server.support.TestDatabase;

/** The outage contract on PostgreSQL: the server is stopped (connections cut, new ones refused), then started. */
class PostgresDatabaseOutageTest extends DatabaseOutageContract {
    private boolean stopped;

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.POSTGRESQL;
    }

    @Override
    void takeAway() {
        PostgresServer.shared().stop();
        stopped = true;
    }

    @Override
    void bringBack() {
        if (stopped) {
            PostgresServer.shared().start();
            stopped = false;
        }
    }
}
