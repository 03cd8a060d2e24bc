package io.leadsync.store;

import io.leadsync.connector.Cursor;
import io.leadsync.connector.StreamId;
import io.leadsync.store.internal.Sql;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The saved cursor of each source stream, with its format version. */
public final class CursorRepository {
    private final Connection connection;

    CursorRepository(Connection connection) {
        this.connection = connection;
    }

    public Optional<Cursor> load(StreamId stream) {
        return Sql.one(connection, "select format_version, cursor_position from stream_cursors"
                        + " where source = ? and stream = ?",
                row -> new Cursor(stream, row.getInt(1), row.getString(2)), stream.source(), stream.stream());
    }

    /** Saves a cursor; call it in the transaction that stores the page the cursor ends. */
    public void save(Cursor cursor, Instant now, Long runId) {
        StreamId stream = cursor.stream();
        Sql.update(connection, """
                merge into stream_cursors t
                using (values (cast(? as varchar(100)), cast(? as varchar(100)), cast(? as integer), cast(? as text),
                    cast(? as timestamp with time zone), cast(? as bigint)))
                    as s(source, stream, format_version, cursor_position, updated_at, run_id)
                on t.source = s.source and t.stream = s.stream
                when matched then update set format_version = s.format_version, cursor_position = s.cursor_position,
                    updated_at = s.updated_at, run_id = s.run_id
                when not matched then insert (source, stream, format_version, cursor_position, updated_at, run_id)
                    values (s.source, s.stream, s.format_version, s.cursor_position, s.updated_at, s.run_id)
                """, stream.source(), stream.stream(), cursor.version(), cursor.position(), now, Sql.bigint(runId));
    }

    /** Forgets a stream's cursor, so its next read starts from the beginning. */
    public boolean reset(StreamId stream) {
        return Sql.update(connection, "delete from stream_cursors where source = ? and stream = ?",
                stream.source(), stream.stream()) > 0;
    }

    public List<Cursor> all() {
        return Sql.query(connection, "select source, stream, format_version, cursor_position from stream_cursors"
                        + " order by source, stream",
                row -> new Cursor(new StreamId(row.getString(1), row.getString(2)), row.getInt(3), row.getString(4)));
    }
}
