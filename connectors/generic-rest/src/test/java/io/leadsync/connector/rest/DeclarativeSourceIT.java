package io.leadsync.connector.rest;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.leadsync.connector.ConnectorException;
import io.leadsync.connector.Cursor;
import io.leadsync.connector.Page;
import io.leadsync.connector.Person;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.SourceRecord;
import io.leadsync.connector.StreamId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pagination styles, cursors and failure mapping of the declarative connector, against WireMock. */
class DeclarativeSourceIT {
    private static final StreamId PEOPLE = new StreamId("crm-x", "people");
    private WireMockServer server;
    private RestFixture fixture;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        fixture = new RestFixture();
    }

    @AfterEach
    void stop() {
        fixture.close();
        server.stop();
    }

    private SourceConnector source(String pagination, String extra) {
        String manifest = """
                type: crm-x
                settings:
                  base-url: {required: true}
                  key: {secret: true}
                requester:
                  base-url: "{{settings.base-url}}"
                  auth: {type: api-key-header, header: X-Api-Key, key: "{{settings.key}}"}
                  retry: {max-attempts: 1}
                  fail:
                    403: "the key may not read people"
                streams:
                  people:
                    kind: person
                    request: {path: /people}
                    records: /items
                %s
                %s
                    id: /id
                    fields:
                      email: /email
                      first-name: /name/first
                      address: /home/street
                      city: /home/city
                      postal-code: /home/zip
                      date-of-birth: /born
                """.formatted(indent(pagination), indent(extra));
        Map<String, Object> settings = new HashMap<>(Map.of("type", "crm-x", "base-url", server.baseUrl(), "key", "k-1"));
        return fixture.source(RestConnectorFactory.of(manifest, "crm-x.yml"), "crm-x", settings);
    }

    private static String indent(String fragment) {
        return fragment.isBlank() ? "" : "    " + fragment.strip();
    }

    private static List<Page<SourceRecord>> read(SourceConnector source, Cursor from) {
        try (Stream<Page<SourceRecord>> pages = source.read(PEOPLE, from)) {
            return pages.toList();
        }
    }

    private static String person(int id, String updated) {
        return "{\"id\":" + id + ",\"email\":\"p" + id + "@acme.io\",\"name\":{\"first\":\"P" + id + "\"},\"updated\":\""
                + updated + "\"}";
    }

    @Test
    void walksPageNumbersUntilAShortPage() {
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("page", equalTo("1"))
                .willReturn(okJson("{\"items\":[" + person(1, "") + "," + person(2, "") + "]}")));
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("page", equalTo("2"))
                .willReturn(okJson("{\"items\":[" + person(3, "") + "]}")));

        List<Page<SourceRecord>> pages = read(source("""
                    pagination: {type: page, page-param: page, limit-param: per_page, page-size: 2}""", ""), null);

        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).items()).extracting(r -> ((Person) r.value()).firstName()).containsExactly("P1", "P2");
        server.verify(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/people")).withHeader("X-Api-Key", equalTo("k-1"))
                .withQueryParam("per_page", equalTo("2")));
    }

    @Test
    void mapsAddressCityPostalCodeAndDateOfBirthWhereTheApiHasThem() {
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("page", equalTo("1"))
                .willReturn(okJson("{\"items\":[{\"id\":7,\"email\":\"ana@acme.io\",\"home\":{\"street\":"
                        + "\"12 North Main Street\",\"city\":\"Leeds\",\"zip\":\"LS1 4DY\"},\"born\":\"1984-03-07\"},"
                        + person(8, "") + "]}")));

        List<Page<SourceRecord>> pages = read(source("""
                    pagination: {type: page, page-param: page, limit-param: per_page, page-size: 5}""", ""), null);

        Person ana = (Person) pages.get(0).items().get(0).value();
        assertThat(ana.address()).isEqualTo("12 North Main Street");
        assertThat(ana.city()).isEqualTo("Leeds");
        assertThat(ana.postalCode()).isEqualTo("LS1 4DY");
        assertThat(ana.dateOfBirth()).isEqualTo("1984-03-07");
        Person other = (Person) pages.get(0).items().get(1).value();
        assertThat(other.address()).isNull();
        assertThat(other.dateOfBirth()).isNull();
    }

    @Test
    void followsNextUrlsInTheBody() {
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("after", absent())
                .willReturn(okJson("{\"items\":[" + person(1, "") + "],\"links\":{\"next\":\"" + server.baseUrl()
                        + "/people?after=1\"}}")));
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("after", equalTo("1"))
                .willReturn(okJson("{\"items\":[" + person(2, "") + "],\"links\":{\"next\":null}}")));

        List<Page<SourceRecord>> pages = read(source("""
                    pagination: {type: next-url, next-url: /links/next}""", ""), null);

        assertThat(pages.stream().flatMap(p -> p.items().stream())).hasSize(2);
    }

    @Test
    void followsTheLinkHeader() {
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("page", absent())
                .willReturn(okJson("{\"items\":[" + person(1, "") + "]}").withHeader("Link",
                        "<" + server.baseUrl() + "/people?page=2>; rel=\"next\", <" + server.baseUrl()
                                + "/people?page=9>; rel=\"last\"")));
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("page", equalTo("2"))
                .willReturn(okJson("{\"items\":[" + person(2, "") + "]}")));

        assertThat(read(source("""
                    pagination: {type: link-header}""", ""), null).stream().flatMap(p -> p.items().stream())).hasSize(2);
    }

    @Test
    void advancesTheCursorOfAnUnsortedStreamOnlyAtItsEnd() {
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("page", equalTo("1"))
                .willReturn(okJson("{\"items\":[" + person(1, "2026-11-20T10:00:00Z") + "]}")));
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("page", equalTo("2"))
                .willReturn(okJson("{\"items\":[" + person(2, "2026-11-19T08:00:00Z") + "]}")));
        server.stubFor(get(urlPathEqualTo("/people")).withQueryParam("page", equalTo("3"))
                .willReturn(okJson("{\"items\":[]}")));
        SourceConnector source = source("""
                    pagination: {type: page, page-param: page, page-size: 1}""", """
                    incremental: {field: /updated, format: iso-8601, overlap: 1m}""");

        List<Page<SourceRecord>> pages = read(source, null);

        assertThat(pages.get(0).next().position()).as("page 1 of an unsorted stream saves no time").isEqualTo("{}");
        assertThat(pages.get(pages.size() - 1).next().position())
                .isEqualTo("{\"since\":\"2026-11-20T10:00:00Z\"}");

        List<Page<SourceRecord>> again = read(source, pages.get(pages.size() - 1).next());
        assertThat(again.stream().flatMap(p -> p.items().stream())).as("filtered client-side: only the newer one")
                .extracting(r -> r.id().id()).containsExactly("1");
    }

    @Test
    void rejectsARecordWithAnUnreadableTimeNamingTheFieldAndKeepsTheOthers() {
        server.stubFor(get(urlPathEqualTo("/people")).willReturn(okJson("{\"items\":[" + person(1, "yesterday") + ","
                + person(2, "2026-11-20T10:00:00Z") + ",{\"email\":\"no-id@acme.io\"}]}")));

        Page<SourceRecord> page = read(source("", """
                    incremental: {field: /updated, format: iso-8601}"""), null).get(0);

        assertThat(page.items()).extracting(r -> r.id().id()).containsExactly("2");
        assertThat(page.rejected()).extracting(r -> r.reason()).containsExactly(
                "incremental field /updated: 'yesterday' is not a iso-8601 time", "id: nothing at /id");
    }

    @Test
    void failsWithTheManifestsMessageForAStatusItNames() {
        server.stubFor(get(urlPathEqualTo("/people")).willReturn(aResponse().withStatus(403)
                .withBody("{\"error\":\"forbidden\"}")));
        assertThatThrownBy(() -> read(source("", ""), null)).isInstanceOf(ConnectorException.class)
                .hasMessage("crm-x: GET /people answered 403: the key may not read people (forbidden)");
    }

    @Test
    void saysWhenTheRecordsPointerFindsNoList() {
        server.stubFor(get(urlPathEqualTo("/people")).willReturn(okJson("{\"data\":[]}")));
        assertThatThrownBy(() -> read(source("", ""), null)).isInstanceOf(ConnectorException.class)
                .hasMessage("crm-x answered GET /people (crm-x, stream people) with a body that has nothing at the"
                        + " records pointer /items, expected a list: '{\"data\":[]}'");
    }

    @Test
    void namesAMissingRequiredSettingWithItsKey() {
        Map<String, Object> settings = new HashMap<>(Map.of("type", "crm-x", "key", "k-1"));
        RestConnectorFactory factory = RestConnectorFactory.of("""
                type: crm-x
                settings:
                  base-url: {required: true, env: CRM_X_URL}
                  key: {secret: true}
                requester:
                  base-url: "{{settings.base-url}}"
                streams:
                  people:
                    kind: person
                    request: {path: /people}
                    records: /items
                    id: /id
                    fields: {email: /email}
                """, "crm-x.yml");
        assertThatThrownBy(() -> fixture.source(factory, "crm-x", settings))
                .hasMessage("sync.connectors.crm-x.base-url is required by connector type 'crm-x' (crm-x.yml);"
                        + " set CRM_X_URL, e.g. base-url: ${CRM_X_URL}");
    }

    @Test
    void readsNoTimeIntoTheCursorWhenTheStreamHasNoIncrementalField() {
        server.stubFor(get(urlPathEqualTo("/people")).willReturn(okJson("{\"items\":[" + person(1, "") + "]}")));
        List<Page<SourceRecord>> pages = read(source("", ""), null);
        assertThat(pages.get(0).next().position()).isEqualTo("{}");
        assertThat(pages.get(0).items().get(0).modifiedAt()).isBefore(Instant.now().plusSeconds(1));
    }
}
