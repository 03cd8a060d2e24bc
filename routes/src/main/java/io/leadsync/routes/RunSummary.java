package io.leadsync.routes;

import java.util.ArrayList;
import java.util.List;

/** One sentence per stage that an operator reads in the log and in {@code GET /api/runs}. */
public final class RunSummary {
    private RunSummary() {
    }

    public static String describe(RunStats stats, long deadLetters) {
        List<String> parts = new ArrayList<>();
        if ("events".equals(stats.state("run", "mode"))) {
            parts.add(events(stats));
        }
        long received = stats.total("pull", "received");
        parts.add("pulled " + received + " records (" + stats.total("pull", "stored") + " new or changed, "
                + stats.total("pull", "unchanged") + " unchanged, " + stats.total("pull", "reseen") + " re-seen, "
                + stats.total("pull", "rejected") + " rejected)");
        long probable = stats.total("identity", "probableMatches");
        long possible = stats.total("identity", "possibleMatches");
        if (probable > 0 || possible > 0) {
            parts.add("joined " + probable + " records to profiles by probable match ("
                    + possible + " possible matches kept for review)");
        }
        long scored = stats.total("score", "profiles");
        parts.add("scored " + scored + " changed profiles (" + stats.total("score", "changed") + " scores changed)");
        long written = stats.total("push", "written");
        long failed = stats.total("push", "failed");
        long calls = stats.total("push", "apiCalls");
        long later = stats.total("push", "retryLater");
        List<String> pushStopped = stats.states("stages").entrySet().stream()
                .filter(stage -> stage.getKey().startsWith("push ")).sorted(java.util.Map.Entry.comparingByKey())
                .map(stage -> stage.getKey().substring(5) + (stage.getValue().equals("PAUSED") ? " paused" : " failed"))
                .toList();
        if (!pushStopped.isEmpty() && written == 0 && failed == 0 && later == 0) {
            parts.add("pushed nothing: the push to " + String.join(", ", pushStopped) + " (see problems), "
                    + calls + " API calls; the records not written stay marked for the next run");
        } else if (written == 0 && failed == 0 && later == 0) {
            long current = stats.total("push", "alreadyCurrent");
            parts.add("pushed nothing: every CRM value is already current"
                    + (current > 0 ? " (" + current + " records checked against what was last written)" : "")
                    + ", " + calls + " API calls");
        } else {
            parts.add("pushed " + written + " records" + (failed > 0 ? " (" + failed + " refused)" : "")
                    + (later > 0 ? " (" + later + " the CRM could not write this time, kept for the next run)" : "")
                    + " in "
                    + stats.total("push", "batches") + " batches, " + calls + " API calls"
                    + (pushStopped.isEmpty() ? "" : "; then the push to " + String.join(", ", pushStopped)
                    + " (see problems)"));
        }
        if ("dry-run".equals(stats.state("run", "mode"))) {
            parts.remove(parts.size() - 1);
            parts.add("would push " + stats.total("push", "wouldWrite") + " records ("
                    + stats.total("push", "wouldWriteFields") + " field values) and create "
                    + stats.total("push", "tasksWouldCreate") + " follow-up tasks in "
                    + stats.total("push", "wouldCall") + " API calls; reading cost "
                    + stats.total("calls", "attempts") + " API calls; nothing was written or kept");
            if (deadLetters > 0) {
                parts.add(deadLetters + " records would go to dead letters");
            }
            if (!stats.problems().isEmpty()) {
                parts.add("problems: " + String.join("; ", stats.problems()));
            }
            return "dry run: " + String.join("; ", parts);
        }
        long tasks = stats.total("push", "tasksCreated");
        long reconciled = stats.total("push", "tasksReconciled");
        long refused = stats.total("push", "tasksFailed");
        long waiting = stats.total("push", "tasksPending");
        if (tasks > 0 || refused > 0 || reconciled > 0 || waiting > 0) {
            parts.add("created " + tasks + " follow-up tasks"
                    + (reconciled > 0 ? " (and found " + reconciled + " an interrupted attempt had created)" : "")
                    + (refused > 0 ? ", " + refused + " refused" : "")
                    + (waiting > 0 ? ", " + waiting + " kept pending for the next run" : ""));
        }
        if (!"events".equals(stats.state("run", "mode")) && coveredByEvents(stats)) {
            parts.add(stats.total("events", "missed") + " new or changed records missed by change events (expected 0)");
        }
        if (deadLetters > 0) {
            parts.add(deadLetters + " records in dead letters");
        }
        if (!stats.problems().isEmpty()) {
            parts.add("problems: " + String.join("; ", stats.problems()));
        }
        return String.join("; ", parts);
    }

    /** Whether a scheduled run read a stream whose source sends change events (the safety net counted it). */
    private static boolean coveredByEvents(RunStats stats) {
        return stats.toMap().get("states") instanceof java.util.Map<?, ?> states
                && states.keySet().stream().anyMatch(scope -> scope.toString().startsWith("events/")
                && !scope.toString().equals("events/latency"));
    }

    /** An event run's first sentence: its changes, how their records were read, and their latency. */
    private static String events(RunStats stats) {
        long changes = stats.total("events", "changes");
        StringBuilder text = new StringBuilder("event run: " + changes + " changes (" + stats.total("events", "carried")
                + " carrying their record, " + stats.total("events", "fetched") + " records read by id, "
                + stats.total("events", "notFound") + " not found, " + stats.total("events", "gapReads")
                + " incremental reads, " + stats.total("events", "coalesced") + " naming a record twice, "
                + stats.total("events", "duplicates") + " repeats refused at the door)");
        long retried = stats.total("events", "retried");
        long givenUp = stats.total("events", "givenUp");
        if (retried > 0 || givenUp > 0) {
            text.append(", ").append(retried).append(" to be tried again, ").append(givenUp).append(" given up");
        }
        String p50 = stats.state("events/latency", "p50Millis");
        if (p50 != null) {
            text.append(", stored ").append(p50).append(" ms (p50), ")
                    .append(stats.state("events/latency", "p95Millis")).append(" ms (p95), ")
                    .append(stats.state("events/latency", "maxMillis")).append(" ms (max) after the change");
        }
        return text.toString();
    }
}
