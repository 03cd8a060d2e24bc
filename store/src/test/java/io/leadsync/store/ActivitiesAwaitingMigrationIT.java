package io.leadsync.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V62 keeps a waiting key on the activities stored before it that wait for their person: those naming a person record
 * that is not linked (with no profile, or one found through their email), and those with only an email and no profile.
 */
class ActivitiesAwaitingMigrationIT {

    @Test
    void onH2() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:activities-awaiting" + DatabaseSettings.H2_OPTIONS + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        assertMigrated(dataSource, "h2");
    }

    @Test
    void onPostgreSql() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start()) {
            assertMigrated(postgres.getPostgresDatabase(), "postgresql");
        }
    }

    private static void assertMigrated(DataSource dataSource, String vendor) throws Exception {
        String[] locations = {"classpath:db/migration", "classpath:db/vendor/" + vendor};
        Flyway.configure().dataSource(dataSource).locations(locations).target("61").load().migrate();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("insert into profiles (profile_id, created_at, updated_at, needs_scoring, change_seq) values"
                    + " ('P1', current_timestamp, current_timestamp, false, 0)");
            statement.execute("insert into person_links (source, record_id, stream, profile_id, email_norm, link_reason,"
                    + " linked_at, push_pending) values ('hubspot', '101', 'contacts', 'P1', 'zoe@acme.de', 'new', current_timestamp, false)");
            statement.execute("insert into activities (source, stream, record_id, activity_type, occurred_at,"
                    + " person_source, person_record_id, person_email, profile_id, properties) values"
                    + " ('hubspot', 'emails', 'linked', 'email_reply', current_timestamp, 'hubspot', '101', null, 'P1', '{}'),"
                    + " ('hubspot', 'emails', 'waiting', 'email_reply', current_timestamp, 'hubspot', '102', null, null, '{}'),"
                    + " ('hubspot', 'emails', 'by-email-for-now', 'email_reply', current_timestamp, 'hubspot', '103',"
                    + " 'zoe@acme.de', 'P1', '{}'),"
                    + " ('mixpanel', 'events', 'email-waiting', 'page_view', current_timestamp, null, null, 'ann@acme.de',"
                    + " null, '{}'),"
                    + " ('mixpanel', 'events', 'email-attached', 'page_view', current_timestamp, null, null, 'zoe@acme.de',"
                    + " 'P1', '{}')");
        }
        Flyway.configure().dataSource(dataSource).locations(locations).load().migrate();
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             ResultSet result = connection.createStatement().executeQuery(
                     "select record_id, await_source, await_id from activities order by record_id")) {
            while (result.next()) {
                rows.add(result.getString(1) + "=" + result.getString(2) + "/" + result.getString(3));
            }
        }
        assertThat(rows).containsExactly("by-email-for-now=hubspot/103", "email-attached=null/null",
                "email-waiting=/ann@acme.de", "linked=null/null", "waiting=hubspot/102");
    }
}
