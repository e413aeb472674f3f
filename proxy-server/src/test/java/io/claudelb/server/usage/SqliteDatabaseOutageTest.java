package io.claudelb.server.usage;

import io.claudelb.server.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;

/** The outage contract on SQLite: another connection holds the database's write lock (a busy database). */
class SqliteDatabaseOutageTest extends DatabaseOutageContract {
    private Connection locker;

    @Override
    TestDatabase.Kind kind() {
        return TestDatabase.Kind.SQLITE;
    }

    @Override
    void takeAway() throws Exception {
        locker = db.connect();
        try (Statement st = locker.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
        }
    }

    @Override
    void bringBack() throws Exception {
        if (locker != null) {
            try (Statement st = locker.createStatement()) {
                st.execute("COMMIT");
            }
            locker.close();
            locker = null;
        }
    }
}
