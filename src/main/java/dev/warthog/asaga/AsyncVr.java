package dev.warthog.asaga;

import dev.warthog.data.Dataset;
import dev.warthog.data.Prefetch;
import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Engine;
import dev.warthog.engine.Partitioning;
import dev.warthog.engine.Worker;
import dev.warthog.objective.Loss;
import dev.warthog.objective.Problem;
import dev.warthog.shared.AccessMode;
import dev.warthog.shared.PaddedCounters;
import dev.warthog.shared.SharedVector;
import dev.warthog.shared.StalenessHistogram;
import dev.warthog.solver.Result;
import dev.warthog.solver.Steps;
import dev.warthog.trace.Tracker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The machinery {@link Asaga}, {@link ProxAsaga} and {@link AsyncIag} share: the run on the
 * {@link Engine}, the inverse feature frequencies, the default steps and the worker with the
 * per-row updates. The updates themselves are documented on the three solvers; the shared
 * state is a {@link SharedVector} w (in the user's {@link AccessMode}), a {@link SagaMemory}
 * (alpha and gbar, atomic) and one padded update counter per worker.
 */
final class AsyncVr {
    private AsyncVr() {}

    /** The three methods; {@link #cliName} is the solver name. */
    enum Method {
        ASAGA("asaga"), PROX_ASAGA("proxasaga"), IAG("async-iag");

        final String cliName;
        Method(String n) { this.cliName = n; }
    }

    /** A validated configuration (the solvers' builders make these). */
    record Settings(Method method, int threads, AccessMode access, Partitioning partitioning, int epochs,
                    double step, long seed, int stalenessEvery) {
        Settings {
            Objects.requireNonNull(method);
            Objects.requireNonNull(access);
            Objects.requireNonNull(partitioning);
            if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            if (!Double.isNaN(step) && !(step > 0 && Double.isFinite(step)))
                throw new IllegalArgumentException("step must be finite and > 0, got " + step);
            if (stalenessEvery < 1) throw new IllegalArgumentException("stalenessEvery must be >= 1");
        }
    }

    /** What a run leaves: the result, and the memory and weights at the end (for tests and diagnostics). */
    record Outcome(Result result, SagaMemory memory, double[] inverseFrequencies) {}

    // ------------------------------------------------------------------ constants of a problem

    /**
     * D_j = n / |{i : x_ij stored}| for sparse data (0 for a column no row holds: it is never
     * updated); null for dense data, where D_j = 1.
     */
    static double[] inverseFrequencies(Dataset d) {
        if (!d.isSparse()) return null;
        long[] count = new long[d.cols()];
        int[] idx = d.indices();
        for (int k = 0, e = d.rowPtr()[d.rows()]; k < e; k++) count[idx[k]]++;
        double[] out = new double[d.cols()];
        for (int j = 0; j < out.length; j++) out[j] = count[j] == 0 ? 0 : (double) d.rows() / count[j];
        return out;
    }

    static double max(double[] dj) {
        if (dj == null) return 1;
        double m = 0;
        for (double v : dj) m = Math.max(m, v);
        return m;
    }

    /**
     * The smoothness of the reweighted sample functions the sparse updates take gradient steps
     * on, f_i(w) = loss(x_i.w, y_i) + (l2/2) sum_{j in S_i} D_j w_j^2:
     * L = smoothness(loss) max_i ||x_i||^2 + l2 max_j D_j. On dense data (D = 1) it is
     * {@link Problem#sampleSmoothness()}, bit for bit.
     */
    static double reweightedSmoothness(Problem p, double[] dj) {
        return p.loss().smoothness() * p.maxRowNormSq() + p.l2() * max(dj);
    }

    static double defaultStep(Method m, Problem p, double[] dj) {
        Steps.requireSmooth(p, m.cliName);
        double lmax = reweightedSmoothness(p, dj);
        return m == Method.IAG ? 1.0 / ((double) p.rows() * lmax) : 1.0 / (3 * lmax);
    }

    // ------------------------------------------------------------------ the run

    static Outcome run(Settings s, Problem p, Tracker tracker) {
        if (s.method() == Method.ASAGA && p.l1() != 0)
            throw new IllegalArgumentException("asaga takes an l2 penalty only: use proxasaga for l1 (and elastic net)");
        final Dataset data = p.data();
        final int n = data.rows();
        final double[] dj = inverseFrequencies(data);
        final double eta = Steps.givenOr(s.step(), p, s.method().cliName, () -> defaultStep(s.method(), p, dj));
        double shrink = eta * p.l2() * max(dj);
        if (shrink >= 1)
            throw new IllegalArgumentException(s.method().cliName + ": step * l2 * max_j D_j = " + shrink
                    + " must be < 1 (the L2 shrink 1 - eta D_j l2 of the rarest feature would not be positive);"
                    + " the default step is " + (p.loss() == Loss.HINGE ? "undefined for hinge" : defaultStep(s.method(), p, dj)));
        final SharedVector w = SharedVector.create(s.access(), p.dim());
        final PaddedCounters updates = new PaddedCounters(s.threads());
        final AsyncVrWorker[] workers = new AsyncVrWorker[s.threads()];
        final boolean[] diverged = {false};

        tracker.start();
        boolean stopAtZero = tracker.record(0, w.array());
        // the memory at w = 0 (one O(nnz) pass, training time, counted as n samples)
        final SagaMemory mem = SagaMemory.atZero(data, p.loss());
        long samples = stopAtZero ? 0 : n;
        Engine.Stats stats = null;
        if (!stopAtZero) {
            final RowSubset all = data.all();
            Engine.Config cfg = new Engine.Config(s.threads(), s.partitioning(), s.seed(), s.epochs());
            stats = Engine.run(cfg, all, (id, part, rnd) ->
                    workers[id] = new AsyncVrWorker(s.method(), id, s.method() == Method.IAG ? part : all, part.size(),
                            rnd, p, w, mem, dj, eta, updates, s.stalenessEvery()),
                    round -> {
                        boolean stop = tracker.record(round, w.array());
                        for (double v : w.array()) if (!Double.isFinite(v)) { diverged[0] = true; return true; }
                        return stop;
                    }, tracker);
            samples += stats.totalSteps();
        }
        tracker.finish();

        StalenessHistogram tau = new StalenessHistogram();
        for (AsyncVrWorker aw : workers) if (aw != null) tau.merge(aw.staleness);
        Map<String, Object> extras = new LinkedHashMap<>();
        extras.put("updates", stats == null ? 0L : stats.totalSteps());
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("mean", tau.mean());
        st.put("max", tau.max());
        st.put("measured", tau.count());
        st.put("histogram", tau.buckets());
        extras.put("staleness", st);
        extras.put("access", s.access().cliName());
        extras.put("partition", s.partitioning().cliName());
        extras.put("step", eta);
        if (stats != null) {
            double[] compute = new double[s.threads()], waits = new double[s.threads()];
            for (int i = 0; i < s.threads(); i++) {
                compute[i] = stats.computeNanos()[i] * 1e-9;
                waits[i] = stats.waitNanos()[i] * 1e-9;
            }
            extras.put("workerComputeSeconds", compute);
            extras.put("workerBarrierSeconds", waits);
        }
        if (diverged[0]) extras.put("diverged", true);
        Result r = new Result(s.method().cliName, p, w.array().clone(), tracker.trace(), tracker.trainSeconds(),
                stats == null ? 0 : stats.rounds(), samples, s.threads(), extras);
        return new Outcome(r, mem, dj);
    }



    // ------------------------------------------------------------------ the worker

    /**
     * One worker: its rows (drawn with replacement from all n rows each round for the SAGA
     * methods, its partition in order for IAG), its stream and its staleness record.
     * Thread-confined; what it shares is w, the memory and the update counters.
     */
    static final class AsyncVrWorker implements Worker {
        private static final int PLAIN = 0, OPAQUE = 1, ATOMIC = 2;

        private final boolean iag, prox;
        private final int id;
        private final int kind;           // how w is read and written: PLAIN (also under the locks), OPAQUE, ATOMIC
        private final boolean locks;      // STRIPED / LOCKED: lockRow/unlockRow around the step
        private final int n;
        private final RowSubset source;   // all rows (SAGA: positions = row ids) or the partition (IAG)
        private final SplittableRandom rnd;
        private final Loss loss;
        private final SharedVector w;
        private final SagaMemory mem;
        private final double[] dj;        // D_j, null for dense data
        private final double eta, l2, a, t, invN;
        private final PaddedCounters updates;
        private final int measureMask;
        // this round's rows, resolved in step order (no dependent misses in front of each step)
        private final int[] rows;
        private final int[] offsets;
        private final int[] nnz;
        private final double[] labels;
        private final Row row = new Row();
        final StalenessHistogram staleness = new StalenessHistogram();
        private double touched;   // Prefetch's loads end here, so they are not dropped
        private long count;

        AsyncVrWorker(Method method, int id, RowSubset source, int steps, SplittableRandom rnd, Problem p,
                      SharedVector w, SagaMemory mem, double[] dj, double eta, PaddedCounters updates,
                      int stalenessEvery) {
            this.iag = method == Method.IAG;
            this.prox = p.l1() > 0;
            this.id = id;
            AccessMode m = w.mode();
            this.kind = m == AccessMode.OPAQUE ? OPAQUE : m == AccessMode.ATOMIC ? ATOMIC : PLAIN;
            this.locks = m == AccessMode.STRIPED || m == AccessMode.LOCKED;
            this.n = p.rows();
            this.source = source;
            this.rnd = rnd;
            this.loss = p.loss();
            this.w = w;
            this.mem = mem;
            this.dj = dj;
            this.eta = eta;
            this.l2 = p.l2();
            this.a = 1 - eta * p.l2();
            this.t = eta * p.l1();
            this.invN = mem.invN();
            this.updates = updates;
            this.measureMask = Integer.highestOneBit(Math.max(1, stalenessEvery)) - 1;
            this.rows = new int[steps];
            this.offsets = new int[steps];
            this.nnz = new int[steps];
            this.labels = new double[steps];
            row.values = p.data().values();
            row.indices = p.data().indices();
            if (iag) {
                // the partition in its order, every round: resolve once
                int[] pos = new int[steps];
                for (int k = 0; k < steps; k++) { pos[k] = k; rows[k] = source.rowId(k); }
                source.resolve(pos, steps, offsets, nnz, labels);
            }
        }

        @Override public void beginRound(int round) {
            if (iag) return;
            // n draws with replacement from all rows, in the order the serial SAGA makes them
            for (int k = 0; k < rows.length; k++) rows[k] = rnd.nextInt(n);
            source.resolve(rows, rows.length, offsets, nnz, labels);
        }

        @Override public int stepsPerRound() { return rows.length; }

        @Override public void step(int k) {
            final Row r = row;
            touched += Prefetch.block(r.values, r.indices, offsets, nnz, k);
            r.offset = offsets[k];
            r.nnz = nnz[k];
            r.label = labels[k];
            final int i = rows[k];
            r.index = i;
            boolean measure = (count++ & measureMask) == 0;
            long before = measure ? updates.sumOthersOpaque(id) : 0;
            if (locks) w.lockRow(r);
            try {
                double g = loss.derivative(w.dotRow(r), r.label);
                double delta = g - mem.exchange(i, g);
                if (iag) iagUpdate(r, delta); else sagaUpdate(r, delta);
            } finally {
                if (locks) w.unlockRow(r);
            }
            updates.incrementOwnOpaque(id);
            if (measure) staleness.record(updates.sumOthersOpaque(id) - before);
        }

        /**
         * SAGA on the support: w_j <- [prox] w_j - eta (delta x_ij + D_j (gbar_j + l2 w_j)), then
         * gbar_j += delta x_ij / n. Dense data: (1 - eta l2) w_j - eta (gbar_j + delta x_ij), the
         * serial SAGA's arithmetic.
         */
        private void sagaUpdate(Row r, double delta) {
            final double[] x = r.values, d = dj;
            final int[] idx = r.indices;
            final int off = r.offset, len = r.nnz;
            final double dn = delta * invN;
            for (int k = 0; k < len; k++) {
                int p = off + k;
                int j = idx == null ? k : idx[p];
                double xj = x[p];
                double gj = mem.averageOpaque(j);
                double wj = read(j);
                double u;
                if (d == null) {
                    u = a * wj - eta * (gj + delta * xj);
                    if (prox) u = soft(u, t);
                } else {
                    double dw = d[j];
                    u = wj - eta * (delta * xj + dw * (gj + l2 * wj));
                    if (prox) u = soft(u, t * dw);
                }
                write(j, wj, u);
                if (dn != 0) mem.addToAverage(j, dn * xj);
            }
        }

        /**
         * IAG (the SAG update): gbar_j += delta x_ij / n first, then
         * w_j <- [prox] w_j - eta D_j (gbar_j + l2 w_j) with the gbar_j this add produced. Dense
         * data: (1 - eta l2) w_j - eta gbar_j, the serial IAG's arithmetic.
         */
        private void iagUpdate(Row r, double delta) {
            final double[] x = r.values, d = dj;
            final int[] idx = r.indices;
            final int off = r.offset, len = r.nnz;
            final double dn = delta * invN;
            for (int k = 0; k < len; k++) {
                int p = off + k;
                int j = idx == null ? k : idx[p];
                double gj = dn != 0 ? mem.addToAverage(j, dn * x[p]) : mem.averageOpaque(j);
                double wj = read(j);
                double u;
                if (d == null) {
                    u = a * wj - eta * gj;
                    if (prox) u = soft(u, t);
                } else {
                    double dw = d[j];
                    u = wj - eta * dw * (gj + l2 * wj);
                    if (prox) u = soft(u, t * dw);
                }
                write(j, wj, u);
            }
        }

        private double read(int j) { return kind == PLAIN ? w.getPlain(j) : w.getOpaque(j); }

        /** Stores the new w_j: a plain or opaque store, or (atomic) adds new - old with a CAS loop. */
        private void write(int j, double old, double nv) {
            if (kind == PLAIN) w.setPlain(j, nv);
            else if (kind == OPAQUE) w.setOpaque(j, nv);
            else if (nv != old) w.addAtomic(j, nv - old);
        }
    }

    static double soft(double u, double t) {
        return u > t ? u - t : (u < -t ? u + t : 0.0);
    }
}
