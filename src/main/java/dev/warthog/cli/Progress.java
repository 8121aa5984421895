package dev.warthog.cli;

import dev.warthog.trace.ProgressCounter;
import dev.warthog.trace.Tracker;

import java.io.PrintWriter;

/**
 * A one-line progress display on stderr, only when stderr is a terminal: a daemon thread
 * polls the solver's published epoch count ({@link ProgressCounter#getAcquire()}) a few
 * times a second, so the solver never blocks on the terminal.
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final Integer total;
    private volatile Tracker tracker;
    private volatile boolean closed;
    private final Thread thread;

    private Progress(PrintWriter err, Integer total, boolean enabled) {
        this.err = err;
        this.total = total;
        if (enabled) {
            thread = Thread.ofPlatform().daemon().name("warthog-progress").unstarted(this::loop);
            thread.start();
        } else {
            thread = null;
        }
    }

    static Progress start(PrintWriter err, Integer totalEpochs) {
        java.io.Console c = System.console();
        return new Progress(err, totalEpochs, c != null && c.isTerminal());
    }

    void watch(Tracker t) { this.tracker = t; }

    private void loop() {
        long t0 = System.nanoTime();
        String spin = "|/-\\";
        int k = 0;
        while (!closed) {
            Tracker t = tracker;
            if (t != null) {
                long epoch = t.progressOpaque().getAcquire();
                double s = (System.nanoTime() - t0) * 1e-9;
                String bar = "";
                if (total != null && total > 0) {
                    int width = 30, filled = (int) Math.min(width, epoch * width / total);
                    bar = "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] ";
                }
                err.printf("\r%c %sepoch %d%s  %.1fs ", spin.charAt(k++ & 3), bar, epoch,
                        total == null ? "" : "/" + total, s);
                err.flush();
            }
            try { Thread.sleep(200); } catch (InterruptedException e) { return; }
        }
    }

    @Override public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try { thread.join(1000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
            err.print("\r\033[K");
            err.flush();
        }
    }
}
