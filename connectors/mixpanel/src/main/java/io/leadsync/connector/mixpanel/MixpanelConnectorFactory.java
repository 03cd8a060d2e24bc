package io.leadsync.connector.mixpanel;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.http.ApiClient;
import io.leadsync.connector.http.CallGuard;
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
    public java.util.List<io.leadsync.connector.Setting<?>> settings() {
        return MixpanelSettings.SETTINGS;
    }

    @Override
    public SourceConnector createSource(ConnectorSettings settings, ConnectorContext context) {
        MixpanelSettings mixpanel = MixpanelSettings.parse(settings);
        CamelContext camel = context.service(CamelContext.class).orElseThrow(() -> new ConfigException(
                settings.key("type"), "needs a Camel context to speak HTTP, and the host provided none"));
        Authenticator credentials = Authenticator.basic(mixpanel.user(), mixpanel.secret());
        CallGuard guard = context.shared("call-guard/" + mixpanel.name(), CallGuard.class,
                () -> new CallGuard(mixpanel.name(), "Mixpanel", new MixpanelRetryPolicy(),
                        CallGuard.Settings.of(mixpanel.maxAttempts())));
        return new MixpanelSource(mixpanel, new ApiClient(camel, guard, mixpanel.exportUrl(), credentials, HINT),
                new ApiClient(camel, guard, mixpanel.queryUrl(), credentials, HINT), context.clock());
    }
}
