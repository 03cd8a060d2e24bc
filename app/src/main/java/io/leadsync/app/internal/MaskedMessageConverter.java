package io.leadsync.app.internal;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.leadsync.connector.Secrets;

/**
 * Logback's {@code %msg} with credentials masked ({@link Secrets#mask}): the last net under every log line, so that a
 * URL with a password or a token in a vendor's message never reaches the log. Registered in logback.xml.
 */
public final class MaskedMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Secrets.mask(super.convert(event));
    }
}
