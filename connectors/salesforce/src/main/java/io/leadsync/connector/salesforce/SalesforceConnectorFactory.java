package io.leadsync.connector.salesforce;

import io.leadsync.connector.ConfigException;
import io.leadsync.connector.ConnectorContext;
import io.leadsync.connector.ConnectorFactory;
import io.leadsync.connector.ConnectorSettings;
import io.leadsync.connector.SinkConnector;
import io.leadsync.connector.SourceConnector;
import io.leadsync.connector.salesforce.internal.SalesforceApi;
import org.apache.camel.CamelContext;

/**
 * Creates Salesforce sources and sinks ({@code type: salesforce}); found through {@link java.util.ServiceLoader}.
 * Both sides of one instance speak through the same camel-salesforce component, so they share one login.
 */
public final class SalesforceConnectorFactory implements ConnectorFactory {

    @Override
    public String type() {
        return SalesforceSettings.TYPE;
    }

    @Override
    public java.util.List<io.leadsync.connector.Setting<?>> settings() {
        return SalesforceSettings.SETTINGS;
    }

    @Override
    public SourceConnector createSource(ConnectorSettings settings, ConnectorContext context) {
        SalesforceSettings salesforce = SalesforceSettings.forSource(settings);
        return new SalesforceSource(salesforce, new SalesforceApi(camel(settings, context), salesforce,
                guard(salesforce, context)));
    }

    @Override
    public SinkConnector createSink(ConnectorSettings settings, ConnectorContext context) {
        SalesforceSettings salesforce = SalesforceSettings.forSink(settings);
        return new SalesforceSink(salesforce, new SalesforceApi(camel(settings, context), salesforce,
                guard(salesforce, context)));
    }

    private static CamelContext camel(ConnectorSettings settings, ConnectorContext context) {
        return context.service(CamelContext.class).orElseThrow(() -> new ConfigException(settings.key("type"),
                "needs a Camel context to speak through camel-salesforce, and the host provided none"));
    }

    /** One guard per org, shared by its source and sink. */
    private static io.leadsync.connector.http.CallGuard guard(SalesforceSettings salesforce, ConnectorContext context) {
        return context.shared("call-guard/" + salesforce.name(), io.leadsync.connector.http.CallGuard.class,
                () -> SalesforceApi.guard(salesforce));
    }
}
