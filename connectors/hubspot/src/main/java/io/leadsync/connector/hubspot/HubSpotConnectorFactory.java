package io.leadsync.connector.hubspot;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.CallGuard;
import io.leadsync.connector.http.ApiRequest;
import io.leadsync.connector.http.Authenticator;
import io.leadsync.connector.http.RequestLimiter;
import io.leadsync.connector.hubspot.internal.HubSpotRetryPolicy;
import org.apache.camel.CamelContext;

import java.time.Duration;

/** Creates HubSpot sources and sinks ({@code type: hubspot}); found through {@link java.util.ServiceLoader}. */
public final class HubSpotConnectorFactory implements ConnectorFactory {

    @Override
    public String type() {
        return HubSpotSettings.TYPE;
    }

    @Override
    public java.util.List<io.leadsync.connector.Setting<?>> settings() {
        return HubSpotSettings.SETTINGS;
    }

    @Override
    public SourceConnector createSource(ConnectorSettings settings, ConnectorContext context) {
        HubSpotSettings hubSpot = HubSpotSettings.forSource(settings);
        HubSpotWebhooks.of(settings, context.clock());   // its webhook settings are checked with the source
        return new HubSpotSource(hubSpot, client(hubSpot, settings, context), context.clock());
    }

    @Override
    public SinkConnector createSink(ConnectorSettings settings, ConnectorContext context) {
        HubSpotSettings hubSpot = HubSpotSettings.forSink(settings);
        return new HubSpotSink(hubSpot, client(hubSpot, settings, context));
    }

    private static ApiClient client(HubSpotSettings hubSpot, ConnectorSettings settings, ConnectorContext context) {
        CamelContext camel = context.service(CamelContext.class).orElseThrow(() -> new ConfigException(
                settings.key("type"), "needs a Camel context to speak HTTP, and the host provided none"));
        RequestLimiter limits = RequestLimiter.builder()
                .limit(hubSpot.name() + " requests per 10 s", hubSpot.requestsPerTenSeconds(), Duration.ofSeconds(10),
                        request -> !isSearch(request))
                .limit(hubSpot.name() + " searches per second", hubSpot.searchesPerSecond(), Duration.ofSeconds(1),
                        HubSpotConnectorFactory::isSearch)
                .build();
        CallGuard guard = context.shared("call-guard/" + hubSpot.name(), CallGuard.class,
                () -> new CallGuard(hubSpot.name(), "HubSpot", new HubSpotRetryPolicy(hubSpot.name()),
                        CallGuard.Settings.of(hubSpot.maxAttempts())).limitedBy(limits));
        return new ApiClient(camel, guard, hubSpot.baseUrl(), Authenticator.bearer(hubSpot.token()),
                "Check the private app token and its scopes (crm.objects.contacts.read/write).");
    }

    /** Search calls have their own, lower limit at HubSpot (and no rate-limit headers). */
    private static boolean isSearch(ApiRequest request) {
        return request.path().endsWith("/search");
    }
}
