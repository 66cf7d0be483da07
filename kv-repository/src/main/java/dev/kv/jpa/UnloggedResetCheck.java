package dev.kv.jpa;

import dev.kv.DataLossEvent;
import dev.kv.KvConfig;
import dev.kv.KvException;
import dev.kv.internal.SqlIdentifier;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Notices that PostgreSQL emptied the store's UNLOGGED table. Crash recovery resets every UNLOGGED
 * table of the server to empty; so does promoting a replica, which never had their contents. The
 * migrations give an UNLOGGED table a companion UNLOGGED table {@code <table>_reset_marker} holding
 * one row: reset by the same recovery, it is found empty exactly when the data was emptied, while
 * an application that deletes every entry leaves it alone. A check puts the row back with {@code
 * INSERT … ON CONFLICT DO NOTHING}: one row inserted means it was gone, which is reported once (a
 * WARNING and {@link KvConfig#onDataLoss()}), and the next crash is noticed again. A table without a
 * marker (LOGGED, or created by migrations older than the marker) is never checked.
 */
final class UnloggedResetCheck {

    private static final System.Logger LOG = System.getLogger(UnloggedResetCheck.class.getName());

    private static final String PRESENT = "SELECT to_regclass(?) IS NOT NULL";
    private static final String REARM =
            "INSERT INTO {marker} (id, armed_at) VALUES (1, now()) ON CONFLICT (id) DO NOTHING";

    private final KvConfig config;
    private final String marker;
    private final String rearm;
    /** Null until looked up; then whether the marker table exists. */
    private volatile Boolean present;

    UnloggedResetCheck(KvConfig config) {
        this.config = config;
        this.marker = SqlIdentifier.quote(SqlIdentifier.check("schema", config.schema())) + "."
                + SqlIdentifier.quote(SqlIdentifier.check("table", config.table()) + "_reset_marker");
        this.rearm = REARM.replace("{marker}", marker);
    }

    /**
     * Looks at the marker on {@code executor}'s connection, reporting a reset if it was gone. A check
     * that fails (the database unreachable, a role without rights on the marker) is logged and
     * leaves the work it precedes to succeed or fail on its own; the next check looks again.
     */
    void check(SqlExecutor executor) {
        try {
            Boolean known = present;
            if (known == null) {
                known = executor.statement("resetCheck", this::markerExists);
                present = known;
            }
            if (known && executor.statement("resetCheck", this::rearm) == 1) {
                report();
            }
        } catch (KvException e) {
            LOG.log(Level.WARNING, "could not check whether " + marker + " was emptied by a crash: " + e.getMessage());
        }
    }

    private boolean markerExists(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(PRESENT)) {
            select.setString(1, marker);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private int rearm(Connection connection) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(rearm)) {
            return insert.executeUpdate();
        }
    }

    private void report() {
        DataLossEvent event = new DataLossEvent(
                config.schema(),
                config.table(),
                config.clock().instant(),
                "the UNLOGGED table's reset marker " + marker + " was empty: PostgreSQL emptied the UNLOGGED tables"
                        + " (crash recovery, a promoted replica or a restored backup), so the entries written"
                        + " before are gone");
        LOG.log(Level.WARNING, "kv store " + config.schema() + "." + config.table() + ": " + event.reason());
        try {
            config.onDataLoss().accept(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the onDataLoss callback of " + config.table() + " failed", e);
        }
    }
}
