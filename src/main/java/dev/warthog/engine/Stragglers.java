package dev.warthog.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Workers slowed on purpose, to show what stragglers do to synchronous and asynchronous
 * algorithms on one machine (seed 000 Figure 1, seed 003 section 3):
 * <ul>
 *   <li>{@code --slowdown i:factor,...}: worker i takes {@code factor} times as long for
 *       the same work (it waits {@code (factor-1) x} its measured work time);</li>
 *   <li>{@code --delay exp:MEAN_MS}: every worker adds a random delay per iteration, drawn
 *       from an exponential distribution of that mean (seed 003's model of a local step's
 *       run time); {@code --delay fixed:MS} adds a constant one;</li>
 *   <li>{@code --stall i:after_ms:for_ms,...}: worker i stops for {@code for_ms} once,
 *       {@code after_ms} into the run (a failed or preempted node).</li>
 * </ul>
 * Each worker gets a {@link Pacer} that the algorithm calls after each unit of work. The
 * delays come from their own random stream (seeded from the run's seed and the worker), so
 * they never change the algorithm's random choices: with intervals counted in steps a
 * slowed run computes the same iterates, only later.
 *
 * <p>Short waits are accumulated and paid once they reach {@value #PAY_NANOS} ns (a park
 * is not precise below that); long waits are paid in slices, polling the run's stop flag,
 * so a failure elsewhere ends a stall promptly.
 */
public final class Stragglers {
    /** No slowdown, no delay, no stall. */
    public static final Stragglers NONE = new Stragglers(new double[0], Kind.NONE, 0, List.of());

    /** The random extra delay's distribution. */
    public enum Kind { NONE, EXP, FIXED }

    /** Worker {@code worker} stops for {@code forMs} once, {@code afterMs} into the run. */
    public record Stall(int worker, double afterMs, double forMs) {}

    static final long PAY_NANOS = 100_000;
    private static final long SLICE_NANOS = 5_000_000;
    private static final long SALT = 0x6A09E667F3BCC909L;

    private final double[] slowdown;   // factor per worker id; missing ids are 1
    private final Kind delayKind;
    private final double delayMeanMs;
    private final List<Stall> stalls;

    private Stragglers(double[] slowdown, Kind delayKind, double delayMeanMs, List<Stall> stalls) {
        this.slowdown = slowdown;
        this.delayKind = delayKind;
        this.delayMeanMs = delayMeanMs;
        this.stalls = List.copyOf(stalls);
    }

    /** Any setting given? */
    public boolean any() {
        if (delayKind != Kind.NONE || !stalls.isEmpty()) return true;
        for (double f : slowdown) if (f != 1) return true;
        return false;
    }

    /** Worker i's slowdown factor (1 when not slowed). */
    public double slowdown(int worker) { return worker < slowdown.length ? slowdown[worker] : 1.0; }
    public Kind delayKind() { return delayKind; }
    public double delayMeanMs() { return delayMeanMs; }
    public List<Stall> stalls() { return stalls; }

    /** Highest worker id named by a setting, or -1. */
    public int maxWorker() {
        int m = -1;
        for (int i = 0; i < slowdown.length; i++) if (slowdown[i] != 1) m = i;
        for (Stall s : stalls) m = Math.max(m, s.worker());
        return m;
    }

    /** Fails when a setting names a worker the run does not have. */
    public void checkWorkers(int workers) {
        int m = maxWorker();
        if (m >= workers)
            throw new IllegalArgumentException("straggler settings name worker " + m + " but the run has " + workers
                    + " worker" + (workers == 1 ? "" : "s") + " (ids 0.." + (workers - 1) + ")");
    }

    /**
     * Parses the three CLI settings; each may be null or blank.
     *
     * @param slowdown {@code i:factor,...}, factor >= 1
     * @param delay    {@code exp:MEAN_MS} or {@code fixed:MS}
     * @param stall    {@code i:after_ms:for_ms,...}
     */
    public static Stragglers parse(String slowdown, String delay, String stall) {
        double[] f = new double[0];
        if (slowdown != null && !slowdown.isBlank()) {
            for (String item : slowdown.split(",")) {
                String[] p = item.trim().split(":");
                if (p.length != 2) throw bad("--slowdown", item, "i:factor, e.g. 1:3");
                int i = workerId("--slowdown", item, p[0]);
                double x = number("--slowdown", item, p[1]);
                if (!(x >= 1) || Double.isInfinite(x)) throw bad("--slowdown", item, "a finite factor >= 1");
                if (i >= f.length) { int old = f.length; f = Arrays.copyOf(f, i + 1); Arrays.fill(f, old, f.length, 1.0); }
                f[i] = x;
            }
        }
        Kind kind = Kind.NONE;
        double mean = 0;
        if (delay != null && !delay.isBlank()) {
            String[] p = delay.trim().split(":");
            if (p.length != 2) throw bad("--delay", delay, "exp:MEAN_MS or fixed:MS");
            kind = switch (p[0].trim().toLowerCase(Locale.ROOT)) {
                case "exp" -> Kind.EXP;
                case "fixed" -> Kind.FIXED;
                default -> throw bad("--delay", delay, "exp:MEAN_MS or fixed:MS");
            };
            mean = number("--delay", delay, p[1]);
            if (!(mean >= 0) || Double.isInfinite(mean)) throw bad("--delay", delay, "a finite delay >= 0 ms");
        }
        List<Stall> st = new ArrayList<>();
        if (stall != null && !stall.isBlank()) {
            for (String item : stall.split(",")) {
                String[] p = item.trim().split(":");
                if (p.length != 3) throw bad("--stall", item, "i:after_ms:for_ms, e.g. 1:500:2000");
                int i = workerId("--stall", item, p[0]);
                double a = number("--stall", item, p[1]), b = number("--stall", item, p[2]);
                if (!(a >= 0) || !(b >= 0) || Double.isInfinite(a) || Double.isInfinite(b))
                    throw bad("--stall", item, "times >= 0 ms");
                st.add(new Stall(i, a, b));
            }
        }
        return new Stragglers(f, kind, mean, st);
    }

    private static int workerId(String opt, String item, String s) {
        try {
            int i = Integer.parseInt(s.trim());
            if (i < 0) throw bad(opt, item, "a worker id >= 0");
            return i;
        } catch (NumberFormatException e) {
            throw bad(opt, item, "a worker id (an integer >= 0) before ':'");
        }
    }

    private static double number(String opt, String item, String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw bad(opt, item, "a number, got '" + s.trim() + "'");
        }
    }

    private static IllegalArgumentException bad(String opt, String item, String expected) {
        return new IllegalArgumentException(opt + ": cannot read '" + item.trim() + "': expected " + expected);
    }

    /** Worker {@code worker}'s pacer; {@code seed} is the run's seed (the delays get their own stream from it). */
    public Pacer pacer(int worker, long seed) {
        return new Pacer(this, worker, new SplittableRandom(seed ^ SALT ^ (0x9E3779B97F4A7C15L * (worker + 1))));
    }

    @Override public String toString() {
        if (!any()) return "none";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < slowdown.length; i++) if (slowdown[i] != 1) b.append(b.isEmpty() ? "" : ",").append(i).append(':').append(slowdown[i]);
        String s = b.isEmpty() ? "" : "slowdown " + b;
        if (delayKind != Kind.NONE) s += (s.isEmpty() ? "" : "; ") + "delay " + delayKind.name().toLowerCase(Locale.ROOT) + ":" + delayMeanMs;
        for (Stall t : stalls) s += (s.isEmpty() ? "" : "; ") + "stall " + t.worker() + ":" + t.afterMs() + ":" + t.forMs();
        return s;
    }

    /**
     * One worker's pacing, confined to that worker's thread. Call {@link #begin} when the run
     * starts, then {@link #afterWork} after each unit of work (an iteration, a mini-batch, a
     * local step) with the nanoseconds that work took.
     */
    public static final class Pacer {
        private final double extraFactor;
        private final Kind kind;
        private final double meanNanos;
        private final long[] stallAt, stallFor;   // this worker's stalls, relative to begin
        private final boolean[] stalled;
        private final SplittableRandom rnd;
        private long start;
        private long debt;
        private long waitedNanos;

        Pacer(Stragglers s, int worker, SplittableRandom rnd) {
            this.extraFactor = s.slowdown(worker) - 1;
            this.kind = s.delayKind;
            this.meanNanos = s.delayMeanMs * 1e6;
            this.rnd = rnd;
            List<Stall> mine = s.stalls.stream().filter(t -> t.worker() == worker).toList();
            stallAt = new long[mine.size()];
            stallFor = new long[mine.size()];
            stalled = new boolean[mine.size()];
            for (int k = 0; k < mine.size(); k++) {
                stallAt[k] = (long) (mine.get(k).afterMs() * 1e6);
                stallFor[k] = (long) (mine.get(k).forMs() * 1e6);
            }
        }

        /** True when this pacer never waits (the algorithm may skip timing its work). */
        public boolean idle() { return extraFactor == 0 && kind == Kind.NONE && stallAt.length == 0; }

        /** Marks the start of the run (stall times count from here). */
        public void begin() { start = System.nanoTime(); debt = 0; }

        /** Total nanoseconds this pacer has made its worker wait. */
        public long waitedNanos() { return waitedNanos; }

        /**
         * After a unit of work that took {@code workNanos}: adds the slowdown, the random
         * delay and any stall now due, and waits once enough has accumulated. Returns early
         * when {@code stop} turns true.
         */
        public void afterWork(long workNanos, BooleanSupplier stop) {
            if (idle()) return;
            debt += (long) (extraFactor * workNanos);
            if (kind == Kind.EXP) debt += (long) (-meanNanos * Math.log(1 - rnd.nextDouble()));
            else if (kind == Kind.FIXED) debt += (long) meanNanos;
            if (stallAt.length > 0) {
                long now = System.nanoTime() - start;
                for (int k = 0; k < stallAt.length; k++)
                    if (!stalled[k] && now >= stallAt[k]) { stalled[k] = true; debt += stallFor[k]; }
            }
            if (debt >= PAY_NANOS) pay(stop);
        }

        private void pay(BooleanSupplier stop) {
            long t0 = System.nanoTime(), end = t0 + debt;
            debt = 0;
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0 || (stop != null && stop.getAsBoolean())) break;
                LockSupport.parkNanos(Math.min(left, SLICE_NANOS));
            }
            waitedNanos += System.nanoTime() - t0;
        }
    }
}
