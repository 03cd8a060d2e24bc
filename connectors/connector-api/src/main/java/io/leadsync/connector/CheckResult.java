package io.leadsync.connector;

/** The outcome of {@link SourceConnector#check()}: ok, or a message saying what is wrong and how to fix it. */
public record CheckResult(boolean ok, String message) {
    public static CheckResult success(String message) {
        return new CheckResult(true, message);
    }

    public static CheckResult failure(String message) {
        return new CheckResult(false, Values.requireText(message, "message"));
    }
}
