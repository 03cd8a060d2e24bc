package io.leadsync.app.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A progress bar for long work on the command line: {@code [########------------]  40%  4000/10000 records
 * 850/s  about 7 s left}. On a terminal it redraws one line; elsewhere (a log, a pipe) it writes a line at most every
 * {@code every} (and once at the end, when the total is known), so a script's output stays readable. Written to standard error: standard output stays the result.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final String unit;
    private final boolean terminal;
    private final Duration every;
    private final long started = System.nanoTime();
    private long lastLine;
    private boolean drawn;

    public ProgressBar(PrintStream out, String unit, boolean terminal, Duration every) {
        this.out = out;
        this.unit = unit;
        this.terminal = terminal;
        this.every = every;
        this.lastLine = System.nanoTime() - every.toNanos();
    }

    /** For this process's standard error: redrawn when it is a terminal. */
    public static ProgressBar onStandardError(String unit) {
        return new ProgressBar(System.err, unit, System.console() != null, Duration.ofSeconds(5));
    }

    /**
     * Shows progress.
     *
     * @param label what is under way (a stream, a fold)
     * @param done  units done
     * @param total units in all, or a negative number when unknown
     */
    public synchronized void update(String label, long done, long total) {
        long now = System.nanoTime();
        boolean last = total > 0 && done >= total;
        if (!terminal && now - lastLine < every.toNanos() && !last) {
            return;
        }
        lastLine = now;
        String line = line(label, done, total, (now - started) / 1e9);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            drawn = true;
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** Ends the bar's line. */
    public synchronized void finish() {
        if (terminal && drawn) {
            out.println();
            drawn = false;
        }
    }

    static String line(String label, long done, long total, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder line = new StringBuilder();
        if (total > 0) {
            long shown = Math.min(done, total);
            int filled = (int) (WIDTH * shown / total);
            line.append('[').append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ");
            line.append(String.format("%3d%%  %d/%d", shown * 100 / total, shown, total));
        } else {
            line.append(done);
        }
        line.append(' ').append(label.isEmpty() ? "" : label + " ");
        line.append(String.format("%.0f/s", rate));
        if (total > 0 && rate > 0 && done < total) {
            line.append(String.format("  about %d s left", Math.round((total - done) / rate)));
        }
        return line.toString();
    }
}
