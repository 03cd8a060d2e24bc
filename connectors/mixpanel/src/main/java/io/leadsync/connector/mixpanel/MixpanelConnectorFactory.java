package io.leadsync.connector.mixpanel;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.Authenticator;
import io.leadsync.connector.mixpanel.internal.MixpanelRetryPolicy;
import org.apache.camel.CamelContext;

import java.net.URI;

/** Creates Mixpanel sources ({@code type: mixpanel}); found through {@link java.util.ServiceLoader}. */
public final class MixpanelConnectorFactory implements ConnectorFactory {
    private static final String HINT = "Check the service account (Organization settings > Service accounts) and"
            + " that it is a member of the project.";

    @Override
    public String type() {
        return MixpanelSettings.TYPE;
    }

    @Override
    public SourceConnector createSource(ConnectorSettings settings, ConnectorContext context) {
        MixpanelSettings mixpanel = MixpanelSettings.parse(settings);
        CamelContext camel = context.service(CamelContext.class).orElseThrow(() -> new ConfigException(
                settings.key("type"), "needs a Camel context to speak HTTP, and the host provided none"));
        Authenticator credentials = Authenticator.basic(mixpanel.user(), mixpanel.secret());
        return new MixpanelSource(mixpanel, client(camel, mixpanel, mixpanel.exportUrl(), credentials),
                client(camel, mixpanel, mixpanel.queryUrl(), credentials), context.clock());
    }

    private static ApiClient client(CamelContext camel, MixpanelSettings settings, URI url, Authenticator credentials) {
        return new ApiClient(camel, settings.name(), "Mixpanel", url, credentials, new MixpanelRetryPolicy(),
                settings.maxAttempts(), HINT);
    }
}
