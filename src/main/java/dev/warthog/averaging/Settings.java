package dev.warthog.averaging;

import dev.warthog.engine.Stragglers;
import dev.warthog.engine.Team;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Steps;


/**
 * The settings every solver of the periodic-averaging family shares, as a self-typed builder
 * base: logical workers M (default: the thread count), threads T, barrier, mini-batch b, seed,
 * per-worker shares of the data, stragglers, the injected communication delay per averaging
 * round, the initial step, the epoch budget and the local momentum.
 *
 * <p>An <b>epoch</b> is K = ceil(n / (M b)) local steps of every worker (M b K ~ n rows seen).
 *
 * @param <B> the concrete builder
 */
public abstract class Settings<B extends Settings<B>> {
    int threads = 1;
    Integer workers;
    Team.Wait barrier;   // null: by the thread count (barrierFor)
    int batch = 1;
    long seed = 1;
    String shares;
    Stragglers stragglers = Stragglers.NONE;
    double commDelayMs = 0;
    double step = Double.NaN;
    int epochs = 20;
    double localMomentum = 0;
    ReplicaWorkers.StepHook hook;
    Boolean sparseRounds;
    boolean fusePeriods = true;

    Settings() {}

    @SuppressWarnings("unchecked")
    private B self() { return (B) this; }

    /** OS threads that execute the workers (default 1; never more than M are used). */
    public B threads(int t) { if (t < 1) throw new IllegalArgumentException("threads must be >= 1, got " + t); threads = t; return self(); }
    /** Logical workers M, the algorithm's m (default: the thread count). */
    public B workers(int m) { if (m < 1) throw new IllegalArgumentException("workers must be >= 1, got " + m); workers = m; return self(); }
    /** How the threads wait at the barriers (default: {@link #barrierFor}). */
    public B barrier(Team.Wait w) { barrier = java.util.Objects.requireNonNull(w); return self(); }
    /** Local mini-batch size b per worker and step (default 1). */
    public B batch(int b) { if (b < 1) throw new IllegalArgumentException("batch must be >= 1, got " + b); batch = b; return self(); }
    public B seed(long s) { seed = s; return self(); }
    /** {@code i:fraction,...} (see {@link Shares}); null = equal shares. */
    public B shares(String s) { shares = s; return self(); }
    public B stragglers(Stragglers s) { stragglers = s == null ? Stragglers.NONE : s; return self(); }
    /** Injected real-time delay D per averaging round, ms (default 0). */
    public B commDelayMs(double ms) {
        if (!(ms >= 0) || Double.isInfinite(ms)) throw new IllegalArgumentException("comm-delay must be a finite number of ms >= 0, got " + ms);
        commDelayMs = ms; return self();
    }
    /** Initial local step eta_0; NaN = (1 - mu)/L_max (mu the local momentum). */
    public B step(double eta) {
        if (!Double.isNaN(eta) && !(eta > 0 && Double.isFinite(eta))) throw new IllegalArgumentException("step must be finite and > 0, got " + eta);
        step = eta; return self();
    }
    /** Epoch budget (default 20). */
    public B epochs(int e) { if (e < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + e); epochs = e; return self(); }
    /** Local momentum mu in [0, 1), cleared after every averaging (default 0: none). */
    public B localMomentum(double mu) {
        if (!(mu >= 0 && mu < 1)) throw new IllegalArgumentException("local-momentum must be in [0, 1), got " + mu);
        localMomentum = mu; return self();
    }

    /** Test hook run after every local step (package-private: fault injection). */
    B hook(ReplicaWorkers.StepHook h) { hook = h; return self(); }

    /** Sparse averaging rounds: null = when they pay, true = whenever possible, false = never (package-private: tests). */
    B sparseRounds(Boolean on) { sparseRounds = on; return self(); }

    /** Test switch: false runs every period as two regions (the path AdaComm always takes), to compare bits. */
    B fusePeriods(boolean on) { fusePeriods = on; return self(); }

    int workersOrThreads() { return workers != null ? workers : threads; }

    /**
     * The default barrier for {@code threads} threads running {@code m} workers: spin while
     * every thread can have a processor (a period lasts tens to hundreds of µs, and a parked
     * Phaser waiter wakes 20-40 µs late on the test VM), the Phaser when threads outnumber
     * processors (there a spinning waiter holds a processor the late thread needs: 4 threads on
     * 2 vCPUs ran 20-40% slower spinning; docs/benchmarks.md section 7).
     */
    static Team.Wait barrierFor(int threads, int m, int processors) {
        return Math.min(threads, m) <= processors ? Team.Wait.SPIN : Team.Wait.PHASER;
    }

    ReplicaWorkers.Config config() {
        int m = workersOrThreads();
        Team.Wait wait = barrier != null ? barrier : barrierFor(threads, m, Runtime.getRuntime().availableProcessors());
        return new ReplicaWorkers.Config(m, threads, wait, batch, seed, Shares.parse(shares, m), stragglers, commDelayMs, localMomentum);
    }

    /** eta_0 on {@code p}, checked. */
    double initialStep(Problem p, String name) {
        if (p.l1() > 0) throw new IllegalArgumentException(name + ": the L1 penalty is not supported (use l1 = 0)");
        return Steps.shrinkable(Steps.givenOr(step, p, name, () -> (1 - localMomentum) / p.sampleSmoothness()), p, name);
    }

    /** K = ceil(n / (M b)) local steps per epoch. */
    long stepsPerEpoch(Problem p) {
        long mb = (long) workersOrThreads() * batch;
        return Math.max(1, (p.rows() + mb - 1) / mb);
    }
}
