package dev.warthog.wpsgd;

/**
 * SimuParallel SGD (Zinkevich et al.; seed 001 Algorithm 2): every worker runs SGD over t
 * samples of its random part, and the models are averaged once at the end. It is the
 * {@link WpSgd.Mode#SIMUPARALLEL} member of {@link WpSgd}; this class only names it.
 */
public final class SimuParallelSgd {
    private SimuParallelSgd() {}

    /** A builder for SimuParallel SGD. */
    public static WpSgd.Builder builder() { return WpSgd.builder(WpSgd.Mode.SIMUPARALLEL); }
}
