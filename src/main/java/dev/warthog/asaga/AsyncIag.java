package dev.warthog.asaga;

import dev.warthog.objective.Problem;

/**
 * Asynchronous IAG: the incremental aggregated gradient method (Blatt, Hero and Gauchman
 * 2007) run by W lock-free workers, i.e. seed 002's eq. (6) direction
 * s = (1/n) sum_i grad f_i(w^(d_i)) with delayed component gradients (seed 002 section
 * IV.B, "asynchronous IAG", analysed by Gurbuzbalaban, Ozdaglar and Parrilo 2017).
 *
 * <p><b>Workers</b>: the rows are dealt to the W workers by the partitioning; in every round
 * (epoch) each worker sweeps its own partition cyclically, in the partition's order (no
 * randomness; the seed only matters for the random partitioning), so one round is n steps in
 * total and every component gradient is refreshed once per round.
 *
 * <p><b>Shared state</b>, as in {@link Asaga}: w (in the user's access mode), the memory
 * ({@link SagaMemory}: alpha_i = the derivative stored for sample i, gbar =
 * (1/n) sum_i alpha_i x_i, so gbar + l2 w is the eq. (6) direction), and the update counters.
 * alpha_i is only ever written by the worker that owns row i, but through the same atomic
 * exchange; gbar is written by all workers with atomic CAS adds.
 *
 * <p><b>One step</b> on row i (support S, D_j as in {@link Asaga}):
 * <pre>
 *   m     = x_i . w                          (inconsistent read, the access mode's loads)
 *   delta = loss'(m, y_i) - alpha_i;  alpha_i = loss'(m, y_i)     (atomic exchange)
 *   for j in S:
 *     gbar_j += delta x_ij / n                                     (atomic CAS add; g = the sum it produced)
 *     w_j    <- [soft(.., eta D_j l1)] ( w_j - eta D_j (g + l2 w_j) )
 * </pre>
 * The memory is updated first and the step is taken along the new average (the SAG/IAG
 * update, not SAGA's). The component gradients in gbar are stale by up to about n updates:
 * each was taken at the iterate its worker last read for that row, and other workers' updates
 * land in between. <b>Dense data</b> (D_j = 1): every step updates every coordinate, the
 * exact eq. (6) step {@code w <- (1 - eta l2) w - eta gbar}, and with one thread and the plain
 * mode this is the serial {@link dev.warthog.vr.VarianceReduced#iag()} bit for bit.
 * <b>Sparse data</b>: the step is applied on the row's support only, reweighted by D_j (over
 * one cycle coordinate j is touched count_j times with weight n / count_j, so a cycle moves it
 * as far as n dense steps would with a constant gbar_j); this is our sparse variant, O(nnz)
 * per step, not the serial IAG's lagged dense update, and no analysis covers it. The l1 prox
 * (when l1 > 0) is applied likewise, also without a guarantee.
 *
 * <p><b>Default step</b>: 1/(n L) with L as in {@link Asaga} (on dense data the serial IAG's
 * heuristic 1/(n L_max): a cycle adds up to one gradient step of 1/L_max). The proven step of
 * Gurbuzbalaban et al. for delays up to tau_max is
 * {@link dev.warthog.vr.VarianceReduced#iagProvenStep} with tau_max = n - 1, far smaller.
 */
public final class AsyncIag extends AsyncVrFacade {
    private AsyncIag(AsyncVr.Settings s) { super(s); }

    public static Builder builder() { return new Builder(); }

    /** An AsyncIag with the options set on an {@link Asaga.Builder} (one parser for the three names). */
    public static AsyncIag from(Asaga.Builder options) { return new AsyncIag(options.settings(AsyncVr.Method.IAG)); }

    @Override public String name() { return "async-iag"; }

    /** The default step on {@code p}: 1/(n L). */
    public static double defaultStep(Problem p) {
        return AsyncVr.defaultStep(AsyncVr.Method.IAG, p, AsyncVr.inverseFrequencies(p.data()));
    }

    /** Configures an {@link AsyncIag}; the options are {@link AsyncVrFacade.Builder}'s (the seed only seeds a random partitioning). */
    public static final class Builder extends AsyncVrFacade.Builder<Builder, AsyncIag> {
        private Builder() { super(AsyncVr.Method.IAG, AsyncIag::new); }
    }
}
