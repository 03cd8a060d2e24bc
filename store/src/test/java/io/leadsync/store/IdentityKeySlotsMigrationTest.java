package io.leadsync.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** V61 renumbers the slots of keys stored before it without gaps, keeping their order. */
class IdentityKeySlotsMigrationTest {

    @Test
    void renumbersEachKeysSlotsFromZeroInTheirOrder() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:key-slots" + DatabaseSettings.H2_OPTIONS + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/h2")
                .target("60").load().migrate();
        try (Connection connection = dataSource.getConnection()) {
            // slots as the store left them before V61: gaps where a profile left a key
            connection.createStatement().execute("insert into identity_keys (key_hash, slot, profile_id) values"
                    + " (64, 0, 'P1'), (64, 3, 'P4'), (64, 5, 'P6'), (128, 2, 'P3'), (192, 0, 'P9')");
        }
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration", "classpath:db/vendor/h2")
                .load().migrate();
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet result = connection.createStatement().executeQuery(
                     "select key_hash, slot, profile_id from identity_keys order by key_hash, slot")) {
            while (result.next()) {
                rows.add(result.getLong(1) + "/" + result.getInt(2) + "=" + result.getString(3));
            }
            assertThatThrownBy(() -> connection.createStatement().execute("insert into identity_keys (key_hash, slot,"
                    + " profile_id) values (64, 2, 'P7')")).as("the primary key stays").isInstanceOf(SQLException.class);
        }
        assertThat(rows).containsExactly("64/0=P1", "64/1=P4", "64/2=P6", "128/0=P3", "192/0=P9");
    }
}
