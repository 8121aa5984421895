package dev.warthog.asaga;

import dev.warthog.engine.Partitioning;
import dev.warthog.objective.Problem;

import java.util.Locale;

/**
 * ASAGA, asynchronous parallel SAGA with sparse updates (Leblond, Pedregosa and
 * Lacoste-Julien, "ASAGA: Asynchronous Parallel SAGA", AISTATS 2017; seed 002 section IV.B),
 * for F(w) = (1/n) sum_i loss(x_i.w, y_i) + (l2/2)||w||^2 (no l1: see {@link ProxAsaga}).
 *
 * <p><b>Workers.</b> W workers on the {@link dev.warthog.engine.Engine}. Every worker draws
 * its rows uniformly from <i>all</i> n rows with replacement, {@code rnd.nextInt(n)} once per
 * step, from its own stream ({@link dev.warthog.engine.Seeds}): worker 0's is
 * {@code new SplittableRandom(seed)}, the serial SAGA's; worker i &gt; 0 takes the i-th split
 * of a salted root. A worker takes as many steps per round
 * as its partition has rows (the partitioning only splits the count), so one round (epoch) is
 * n samples in total. The coordinator evaluates w between rounds, while the workers wait.
 *
 * <p><b>Shared state</b>: the iterate w (a {@link dev.warthog.shared.SharedVector} in the
 * user's {@link dev.warthog.shared.AccessMode}), the gradient memory ({@link SagaMemory}: one scalar per sample
 * alpha_i and the average gbar = (1/n) sum_i alpha_i x_i, both accessed atomically), and one
 * padded update counter per worker (for the staleness measurement).
 *
 * <p><b>One step</b> on row i with support S (the stored entries of x_i; every column for a
 * dense row), D_j = n / |{i : x_ij stored}| the inverse frequency of feature j (D_j = 1 for
 * dense data):
 * <pre>
 *   m     = x_i . w                       (read on S with the access mode's loads: inconsistent)
 *   a_new = loss'(m, y_i)
 *   a_old = alpha.getAndSet(i, a_new)     (atomic exchange: never torn, each delta counted once)
 *   delta = a_new - a_old
 *   for j in S:
 *     w_j    <- w_j - eta [ delta x_ij + D_j (gbar_j + l2 w_j) ]     (gbar_j read opaquely)
 *     gbar_j += delta x_ij / n                                        (atomic CAS add)
 * </pre>
 * D_j makes the dense part of the SAGA direction, applied only on the support, unbiased:
 * E_i[1{j in S_i} D_j] = 1 (Leblond et al.'s sparse ASAGA, with the L2 term's gradient
 * l2 w taken at the current iterate and reweighted like gbar, i.e. the gradient step on
 * f_i(w) = loss_i + (l2/2) sum_{j in S_i} D_j w_j^2). On dense data the update is written as
 * the serial SAGA writes it, {@code (1 - eta l2) w_j - eta (gbar_j + delta x_ij)} (the same
 * value, the same rounding).
 * How w_j is written depends on the access mode: plain load and store (plain), opaque load and
 * store (opaque), the new-minus-read difference added with a CAS loop (atomic: no update is
 * lost, the paper's "atomic" model), plain accesses under the row's block locks (striped) or
 * the vector lock (locked), held from the read of the margin to the last write.
 *
 * <p><b>Memory</b>: initialised at w = 0 like the serial SAGA (alpha_i = loss'(0, y_i), gbar
 * accordingly; one O(nnz) pass counted as training time and as n samples).
 *
 * <p><b>One thread</b>: on dense data with the plain mode, ASAGA is the serial
 * {@link dev.warthog.vr.VarianceReduced#saga()} with the same seed and step, bit for bit (the
 * same stream, the same draws, the same arithmetic; on sparse data the serial SAGA's lagged
 * updates are the dense method, ASAGA's sparse update is another unbiased method).
 *
 * <p><b>Default step</b>: eta = 1/(3 L), L = smoothness(loss) max_i ||x_i||^2 + l2 max_j D_j,
 * the smoothness of the reweighted f_i above (on dense data L = L_max =
 * {@link Problem#sampleSmoothness()}, and the step is the serial SAGA default 1/(3 L_max) of
 * Defazio, Bach and Lacoste-Julien 2014). This is <i>not</i> the step of ASAGA's analysis:
 * Leblond et al. prove linear convergence for eta = a/(5L) with a below a constant
 * a*(tau) &lt; 1 that shrinks with the delay bound tau (and the sparsity), under tau &lt;= n/10;
 * we use the serial SAGA step, larger, and claim no guarantee for it (the tests check linear
 * convergence with 2 and 4 threads). The l2 max_j D_j term keeps eta D_j l2 &lt;= 1/3 for the
 * rarest feature; an explicit step must keep eta l2 max_j D_j &lt; 1 (rejected otherwise). The
 * hinge loss needs an explicit step.
 *
 * <p><b>Result extras</b>: updates, staleness (the delay tau of every
 * {@code stalenessEvery}-th update, measured as in {@link dev.warthog.hogwild.Hogwild}), access,
 * partition, step, per-worker compute and barrier seconds, and diverged (when w stopped
 * being finite; the run stops then).
 */
public final class Asaga extends AsyncVrFacade {
    private Asaga(AsyncVr.Settings s) { super(s); }

    public static Builder builder() { return new Builder(); }

    @Override public String name() { return "asaga"; }

    /** The default step on {@code p} (see the class comment). */
    public static double defaultStep(Problem p) {
        return AsyncVr.defaultStep(AsyncVr.Method.ASAGA, p, AsyncVr.inverseFrequencies(p.data()));
    }

    /** D_j = n / count_j (0 for absent columns) for sparse data; null for dense data (D = 1). */
    public static double[] inverseFrequencies(dev.warthog.data.Dataset d) { return AsyncVr.inverseFrequencies(d); }

    static String describe(AsyncVr.Settings s) {
        String st = Double.isNaN(s.step())
                ? (s.method() == AsyncVr.Method.IAG ? "1/(n L)" : "1/(3 L)")
                : String.format(Locale.ROOT, "%g", s.step());
        return s.method().cliName + "(threads=" + s.threads() + ", access=" + s.access().cliName()
                + ", partition=" + s.partitioning().cliName() + ", epochs=" + s.epochs() + ", step=" + st
                + (s.method() == AsyncVr.Method.IAG && s.partitioning() != Partitioning.RANDOM ? "" : ", seed=" + s.seed()) + ")";
    }

    /** Configures an {@link Asaga}; rows are drawn from all n, whatever the partitioning. */
    public static final class Builder extends AsyncVrFacade.Builder<Builder, Asaga> {
        private Builder() { super(AsyncVr.Method.ASAGA, Asaga::new); }
    }
}
