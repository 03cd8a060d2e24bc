package io.leadsync.store.internal;

import io.leadsync.store.StoreException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Plain JDBC in a few lines: parameters are bound by type (instants as UTC timestamps with time zone, typed
 * nulls so PostgreSQL can infer the type of a {@code MERGE ... USING (VALUES ...)} column), and every
 * {@link SQLException} is wrapped with the statement that failed.
 *
 * <p>A {@code MERGE ... USING (VALUES ...)} casts every parameter to its column's type: untyped, H2 sometimes
 * (about 1 statement in 250 on a fresh database) stored NULL in a later row of a batch, or a later execution of a
 * cached statement, where an earlier one had bound NULL in that column.
 */
public final class Sql {
    private Sql() {
    }

    /** A null of a known SQL type (see {@link Types}). */
    public record Null(int sqlType) {
    }

    public static final Null NULL_TEXT = new Null(Types.VARCHAR);
    public static final Null NULL_TIMESTAMP = new Null(Types.TIMESTAMP_WITH_TIMEZONE);
    public static final Null NULL_BIGINT = new Null(Types.BIGINT);
    public static final Null NULL_INTEGER = new Null(Types.INTEGER);

    /**
     * Numbers bound as one {@code bigint} array (each once), for {@code unnest(cast(? as bigint array))}: a page's
     * lookups in one statement that both databases answer from the joined table's key, whatever the number of values.
     */
    public record Bigints(long[] values) {
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    public static Object text(String value) {
        return value == null ? NULL_TEXT : value;
    }

    public static Object timestamp(Instant value) {
        return value == null ? NULL_TIMESTAMP : value;
    }

    public static Object bigint(Long value) {
        return value == null ? NULL_BIGINT : value;
    }

    public static Object integer(Integer value) {
        return value == null ? NULL_INTEGER : value;
    }

    public static int update(Connection connection, String sql, Object... params) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /** Runs one statement for each parameter row in a JDBC batch. */
    public static void batch(Connection connection, String sql, Collection<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /** Inserts one row and returns its generated identity ({@code RETURNING} is not portable to H2). */
    public static long insertReturningId(Connection connection, String sql, String idColumn, Object... params) {
        try (PreparedStatement statement = connection.prepareStatement(sql, new String[] {idColumn})) {
            bind(statement, params);
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new StoreException("no generated key returned by: " + sql);
                }
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                List<T> result = new ArrayList<>();
                while (rows.next()) {
                    result.add(mapper.map(rows));
                }
                return result;
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /** Streams rows to a consumer without collecting them. */
    public static void forEach(Connection connection, String sql, Consumer<ResultSet> consumer, Object... params) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(500);
            bind(statement, params);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    consumer.accept(rows);
                }
            }
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    public static <T> Optional<T> one(Connection connection, String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(connection, sql, mapper, params);
        if (rows.size() > 1) {
            throw new StoreException("expected at most one row but got " + rows.size() + " from: " + sql);
        }
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static long count(Connection connection, String sql, Object... params) {
        return one(connection, sql, row -> row.getLong(1), params).orElse(0L);
    }

    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** {@code ?, ?, ?} for an IN list of the given size. */
    public static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** At most this many keys in one {@link #queryByKeys} statement. */
    public static final int KEYS_CHUNK = 500;

    /**
     * Runs {@code sql} once per chunk of at most {@link #KEYS_CHUNK} keys, with {@code {keys}} in it replaced by
     * the chunk as a table {@code k(id)} (see {@link #keysTable}) whose parameters come before {@code params}; the
     * rows of every chunk, in order.
     */
    public static <T> List<T> queryByKeys(Connection connection, String sql, Collection<String> keys,
                                          RowMapper<T> mapper, Object... params) {
        return queryByKeys(connection, sql, keys, List.of(), mapper, params);
    }

    /**
     * {@link #queryByKeys(Connection, String, Collection, RowMapper, Object...)} where the index's leading columns
     * are constants ({@code source = ? and stream = ?}): they are columns of the keys table, {@code k.c1},
     * {@code k.c2}..., repeated on each key's row. Compared with a constant, H2 (once it has statistics) reads the
     * big table first, every row with that source, and looks each up in the keys: a lookup then costs the size of
     * the table. Compared with the keys table's columns, it is one index lookup per key, in H2 and PostgreSQL alike.
     */
    public static <T> List<T> queryByKeys(Connection connection, String sql, Collection<String> keys,
                                          List<String> constants, RowMapper<T> mapper, Object... params) {
        List<String> all = keys instanceof List<String> list ? list : new ArrayList<>(keys);
        int width = 1 + constants.size();
        List<T> rows = new ArrayList<>();
        for (int from = 0; from < all.size(); from += KEYS_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + KEYS_CHUNK));
            Object[] bound = new Object[chunk.size() * width + params.length];
            for (int i = 0; i < chunk.size(); i++) {
                bound[i * width] = chunk.get(i);
                for (int c = 0; c < constants.size(); c++) {
                    bound[i * width + 1 + c] = constants.get(c);
                }
            }
            System.arraycopy(params, 0, bound, chunk.size() * width, params.length);
            rows.addAll(query(connection, sql.replace("{keys}", keysTable(chunk.size(), constants.size())), mapper,
                    bound));
        }
        return rows;
    }

    /**
     * {@code (values (cast(? as varchar(255))), ...) as alias(column)}: a list of keys as a table, to join on an
     * index. Where the key is not an index's first column, H2 answers {@code a = ? and b in (...)} by scanning
     * every row matching {@code a} (a page's lookup then costs the size of the stream, and a sync grows
     * quadratically); a join on the keys table is one index lookup per key in H2 and PostgreSQL alike.
     */
    public static String keysTable(int count, String alias, String column) {
        return "(values " + String.join(", ", java.util.Collections.nCopies(count, "(cast(? as varchar(255)))"))
                + ") as " + alias + "(" + column + ")";
    }

    /** {@code (values (?, ?, ...), ...) as k(id, c1, c2...)}: keys with the constants on each row. */
    private static String keysTable(int count, int constants) {
        if (constants == 0) {
            return keysTable(count, "k", "id");
        }
        StringBuilder row = new StringBuilder("(cast(? as varchar(255))");
        StringBuilder columns = new StringBuilder("id");
        for (int c = 1; c <= constants; c++) {
            row.append(", cast(? as varchar(255))");
            columns.append(", c").append(c);
        }
        row.append(')');
        return "(values " + String.join(", ", java.util.Collections.nCopies(count, row.toString())) + ") as k("
                + columns + ")";
    }

    private static void bind(PreparedStatement statement, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object param = params[i];
            int index = i + 1;
            if (param instanceof Null typedNull) {
                statement.setNull(index, typedNull.sqlType());
            } else if (param == null) {
                statement.setNull(index, Types.VARCHAR);
            } else if (param instanceof Instant instant) {
                statement.setObject(index, instant.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
            } else if (param instanceof String text) {
                statement.setString(index, text);
            } else if (param instanceof Bigints numbers) {
                Long[] boxed = java.util.Arrays.stream(numbers.values()).distinct().boxed().toArray(Long[]::new);
                statement.setArray(index, statement.getConnection().createArrayOf("bigint", boxed));
            } else {
                statement.setObject(index, param);
            }
        }
    }

    private static StoreException failure(String sql, SQLException e) {
        String statement = sql.strip().replaceAll("\\s+", " ");
        return new StoreException(e.getMessage() + " [SQL state " + e.getSQLState() + "] in: "
                + (statement.length() > 300 ? statement.substring(0, 300) + "..." : statement), e);
    }

    /** The text cut to a column's width, with an ellipsis where it was cut; null stays null. */
    public static String abbreviate(String text, int length) {
        if (text == null) {
            return null;
        }
        return text.length() <= length ? text : text.substring(0, length - 1) + "\u2026";
    }
}
