package dev.warthog.asaga;

import dev.warthog.objective.Problem;

/**
 * ProxASAGA (Pedregosa, Leblond and Lacoste-Julien, "Breaking the Nonsmooth Barrier: A
 * Scalable Parallel Method for Composite Optimization", NIPS 2017; seed 002 section IV.D):
 * {@link Asaga} with the l1 penalty of F(w) = (1/n) sum loss + (l2/2)||w||^2 + l1||w||_1
 * handled by a block-separable proximal step on the row's support.
 *
 * <p>Everything (workers, sampling, shared state, memory, access modes, default step, extras)
 * is as in {@link Asaga}; the coordinate update becomes
 * <pre>
 *   for j in S:
 *     w_j    <- soft( w_j - eta [ delta x_ij + D_j (gbar_j + l2 w_j) ],  eta D_j l1 )
 *     gbar_j += delta x_ij / n                                    (atomic CAS add)
 * </pre>
 * with soft(u, t) = sign(u) max(|u| - t, 0): the prox of eta phi_i, where
 * phi_i(w) = sum_{j in S_i} D_j l1 |w_j| is Pedregosa et al.'s reweighted, support-restricted
 * penalty (E_i[phi_i] = l1 ||w||_1 since E_i[1{j in S_i} D_j] = 1). The L2 part stays in the
 * gradient step (elastic net: both penalties may be set). In the atomic mode the paper's
 * update is taken literally: the difference between the prox output and the value read is
 * added with a CAS loop. On dense data (D = 1) the step is the serial proximal SAGA's,
 * {@code soft((1 - eta l2) w_j - eta (gbar_j + delta x_ij), eta l1)}, bit for bit with one
 * thread and the plain mode.
 *
 * <p>Default step 1/(3 L) as in {@link Asaga}. Pedregosa et al.'s linear-convergence theorem
 * (for a strongly convex smooth part) takes a step proportional to 1/L whose constant shrinks
 * as the delay bound and the sparsity measure grow; no guarantee is claimed for the default,
 * which is the serial SAGA step. With l1 = 0 this is {@link Asaga}.
 */
public final class ProxAsaga extends AsyncVrFacade {
    private ProxAsaga(AsyncVr.Settings s) { super(s); }

    public static Builder builder() { return new Builder(); }

    /** A ProxAsaga with the options set on an {@link Asaga.Builder} (one parser for the three names). */
    public static ProxAsaga from(Asaga.Builder options) { return new ProxAsaga(options.settings(AsyncVr.Method.PROX_ASAGA)); }

    @Override public String name() { return "proxasaga"; }

    /** The default step on {@code p}: 1/(3 L), see {@link Asaga}. */
    public static double defaultStep(Problem p) {
        return AsyncVr.defaultStep(AsyncVr.Method.PROX_ASAGA, p, AsyncVr.inverseFrequencies(p.data()));
    }

    /** Configures a {@link ProxAsaga}; the options are {@link AsyncVrFacade.Builder}'s. */
    public static final class Builder extends AsyncVrFacade.Builder<Builder, ProxAsaga> {
        private Builder() { super(AsyncVr.Method.PROX_ASAGA, ProxAsaga::new); }
    }
}
