package io.leadsync.connector.testkit;

import io.leadsync.connector.Activity;
import io.leadsync.connector.CheckResult;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.ExternalId;
import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every source connector must prove, in the spirit of Airbyte's acceptance tests. A connector's test extends
 * this class and provides connectors against a fixture (a sandbox simulator) that holds records on at least three
 * pages of {@link #personStream()}. Skipping one of these tests needs a reason written in the code.
 */
public abstract class SourceConnectorContract {

    /** A connector with valid credentials against the fixture. */
    protected abstract SourceConnector connector();

    /** The same connector with credentials the fixture refuses. */
    protected abstract SourceConnector connectorWithBadCredentials();

    /** The same connector pointed at a host nothing listens on. */
    protected abstract SourceConnector connectorForUnreachableHost();

    /** The stream of persons to read. */
    protected abstract StreamId personStream();

    /** How far before a saved cursor a read starts (records in that window may be read again). */
    protected abstract Duration overlap();

    private static List<Page<SourceRecord>> readAll(SourceConnector connector, StreamId stream, Cursor from) {
        try (Stream<Page<SourceRecord>> pages = connector.read(stream, from)) {
            return pages.toList();
        }
    }

    private static List<SourceRecord> records(List<Page<SourceRecord>> pages) {
        return pages.stream().flatMap(page -> page.items().stream()).toList();
    }

    @Test
    void checkSucceedsWithValidCredentials() {
        CheckResult result = connector().check();
        assertThat(result.ok()).as(result.message()).isTrue();
    }

    @Test
    void checkFailsClearlyOnBadCredentials() {
        CheckResult result = connectorWithBadCredentials().check();
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).as("says what is wrong").containsAnyOf("token", "credential", "401", "auth",
                "Auth");
    }

    @Test
    void checkFailsClearlyWhenTheHostIsUnreachable() {
        CheckResult result = connectorForUnreachableHost().check();
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).as("names what could not be reached").containsAnyOf("reach", "connect",
                "Connect");
    }

    @Test
    void twoFullReadsGiveTheSameRecords() {
        SourceConnector connector = connector();
        List<SourceRecord> first = records(readAll(connector, personStream(), null));
        List<SourceRecord> second = records(readAll(connector, personStream(), null));
        assertThat(first).isNotEmpty();
        assertThat(second).containsExactlyElementsOf(first);
    }

    @Test
    void aReadFromTheSavedCursorReturnsNothingOlderThanItsOverlap() {
        SourceConnector connector = connector();
        List<Page<SourceRecord>> pages = readAll(connector, personStream(), null);
        Instant newest = records(pages).stream().map(SourceRecord::modifiedAt).max(Instant::compareTo).orElseThrow();
        Cursor saved = pages.get(pages.size() - 1).next();

        List<SourceRecord> again = records(readAll(connector, personStream(), saved));

        assertThat(again).allSatisfy(record -> assertThat(record.modifiedAt())
                .isAfterOrEqualTo(newest.minus(overlap())));
    }

    @Test
    void aReadResumedAfterAPageNeitherLosesNorDuplicatesRecords() {
        SourceConnector connector = connector();
        List<Page<SourceRecord>> full = readAll(connector, personStream(), null);
        assertThat(full).as("the fixture must span at least three pages").hasSizeGreaterThanOrEqualTo(3);
        Page<SourceRecord> firstPage;
        try (Stream<Page<SourceRecord>> interrupted = connector.read(personStream(), null)) {
            firstPage = interrupted.findFirst().orElseThrow();
        }

        List<SourceRecord> resumed = records(readAll(connector, personStream(), firstPage.next()));

        Set<ExternalId> expected = records(full).stream().map(SourceRecord::id).collect(Collectors.toSet());
        Set<ExternalId> seen = new HashSet<>();
        firstPage.items().forEach(record -> seen.add(record.id()));
        resumed.forEach(record -> seen.add(record.id()));
        assertThat(seen).as("nothing lost").containsAll(expected);
        Map<ExternalId, Instant> firstSeen = new HashMap<>();
        firstPage.items().forEach(record -> firstSeen.put(record.id(), record.modifiedAt()));
        assertThat(resumed).as("a record read twice is the same version, so it is recognised and not counted twice")
                .filteredOn(record -> firstSeen.containsKey(record.id()))
                .allSatisfy(record -> assertThat(record.modifiedAt()).isEqualTo(firstSeen.get(record.id())));
        assertThat(resumed.stream().map(SourceRecord::id).distinct().count()).as("no record twice in one read")
                .isEqualTo(resumed.size());
    }

    @Test
    void recordsMapToValidCanonicalValues() {
        SourceConnector connector = connector();
        String name = connector.descriptor().name();
        for (String stream : connector.descriptor().streams()) {
            List<SourceRecord> records = records(readAll(connector, new StreamId(name, stream), null));
            assertThat(records).allSatisfy(record -> {
                assertThat(record.id().source()).isEqualTo(name);
                assertThat(record.stream()).isEqualTo(new StreamId(name, stream));
                if (!record.deleted()) {
                    if (record.value() instanceof Person person) {
                        assertThat(person.updatedAt()).isEqualTo(record.modifiedAt());
                        if (person.email() != null) {
                            assertThat(person.email()).contains("@");
                        }
                    } else {
                        Activity activity = (Activity) record.value();
                        assertThat(activity.person().id() != null || activity.person().email() != null).isTrue();
                        assertThat(activity.occurredAt()).isNotNull();
                    }
                }
            });
        }
    }
}
