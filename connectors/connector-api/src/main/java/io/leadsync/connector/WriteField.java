package io.leadsync.connector;

import java.util.List;

/** The canonical fields leadsync writes back; each sink maps them to its own field names in config. */
public final class WriteField {
    public static final String SCORE = "score";
    public static final String GRADE = "grade";
    public static final String REASONS = "reasons";
    public static final String MODEL_VERSION = "model-version";
    public static final List<String> ALL = List.of(SCORE, GRADE, REASONS, MODEL_VERSION);

    private WriteField() {
    }
}
