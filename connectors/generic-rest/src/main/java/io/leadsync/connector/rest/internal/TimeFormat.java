package io.leadsync.connector.rest.internal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;

/**
 * How an API writes a time: {@code iso-8601}, {@code epoch-seconds}, {@code epoch-millis}, or a pattern. ISO-8601
 * accepts every offset form vendors send: {@code Z}, {@code +02:00}, {@code +0200} (Salesforce writes
 * {@code 2026-11-01T09:30:00.000+0000}), {@code +02}, with or without fractions of a second; a time without an offset
 * is read in the manifest's zone.
 */
public final class TimeFormat {
    /** ISO-8601 date-time with an optional offset in any of its forms. */
    private static final DateTimeFormatter ISO = new java.time.format.DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMMss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(java.util.Locale.ROOT);

    private final String name;
    private final DateTimeFormatter pattern;
    private final ZoneId zone;

    private TimeFormat(String name, DateTimeFormatter pattern, ZoneId zone) {
        this.name = name;
        this.pattern = pattern;
        this.zone = zone;
    }

    /**
     * @throws IllegalArgumentException with the reason when the format or zone is not valid
     */
    public static TimeFormat of(String format, String zone) {
        ZoneId zoneId = ZoneId.of(zone == null ? "UTC" : zone);
        switch (format) {
            case "iso-8601":
            case "epoch-seconds":
            case "epoch-millis":
                return new TimeFormat(format, null, zoneId);
            default:
                return new TimeFormat(format, DateTimeFormatter.ofPattern(format), zoneId);
        }
    }

    /** Parses a time; null when the text is not one. */
    public Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        try {
            switch (name) {
                case "iso-8601":
                    TemporalAccessor parsed = ISO.parseBest(value, OffsetDateTime::from, LocalDateTime::from);
                    return parsed instanceof OffsetDateTime offset ? offset.toInstant()
                            : ((LocalDateTime) parsed).atZone(zone).toInstant();
                case "epoch-seconds":
                    return Instant.ofEpochMilli(Math.round(Double.parseDouble(value) * 1000));
                case "epoch-millis":
                    return Instant.ofEpochMilli(Long.parseLong(value));
                default:
                    TemporalAccessor fields = pattern.parse(value);
                    if (fields.isSupported(java.time.temporal.ChronoField.OFFSET_SECONDS)) {
                        return OffsetDateTime.from(fields).toInstant();
                    }
                    return LocalDateTime.from(fields).atZone(zone).toInstant();
            }
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return null;
        }
    }

    public String format(Instant instant) {
        switch (name) {
            case "iso-8601":
                return instant.toString();
            case "epoch-seconds":
                return Long.toString(instant.getEpochSecond());
            case "epoch-millis":
                return Long.toString(instant.toEpochMilli());
            default:
                return pattern.format(ZonedDateTime.ofInstant(instant, zone));
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
