package io.leadsync.routes;

import io.leadsync.connector.Change;
import io.leadsync.connector.ChangeFeed;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A vendor's change log served as a live feed, like a CDC channel: the position is the number of log entries
 * delivered so far; a start resumes after the position given. Delivers in small batches on its own thread.
 */
final class FakeFeed implements ChangeFeed {
    final List<Change> log = new CopyOnWriteArrayList<>();
    final List<String> startedFrom = new CopyOnWriteArrayList<>();
    /** The event ids of every change handed to a listener that took it. */
    final List<String> delivered = new CopyOnWriteArrayList<>();
    volatile int batchSize = 3;
    volatile long pauseMillis = 10;
    private volatile boolean closed;
    private Thread thread;

    @Override
    public synchronized void start(String resumeAfter, Listener listener) {
        startedFrom.add(String.valueOf(resumeAfter));
        closed = false;
        thread = new Thread(() -> {
            int next = resumeAfter == null ? 0 : Integer.parseInt(resumeAfter);
            while (!closed) {
                if (next < log.size()) {
                    List<Change> batch = List.copyOf(log.subList(next, Math.min(log.size(), next + batchSize)));
                    try {
                        listener.accept(batch, Integer.toString(next + batch.size()));
                        batch.forEach(change -> delivered.add(change.eventId()));
                    } catch (RuntimeException e) {
                        listener.failed(e);
                        return;
                    }
                    next += batch.size();
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fake-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
