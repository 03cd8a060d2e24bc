package io.leadsync.routes.internal;

import io.leadsync.connector.ConnectorException;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.RuntimeCamelException;

/** Finds the failure worth reporting under Camel's wrappers. */
final class Failures {
    private Failures() {
    }

    static Throwable meaningful(Throwable caught) {
        Throwable current = caught;
        int depth = 0;
        while (current != null && depth++ < 10) {
            if (current instanceof ConnectorException || current instanceof RunStoppedException) {
                return current;
            }
            boolean wrapper = current instanceof CamelExchangeException || current instanceof RuntimeCamelException;
            if (!wrapper || current.getCause() == null) {
                return current;
            }
            current = current.getCause();
        }
        return caught;
    }
}
