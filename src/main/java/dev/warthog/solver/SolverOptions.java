package dev.warthog.solver;

/**
 * Command-line options of the serial solvers, each optional (null = the solver's default).
 * Built by {@link #builder()}; consumed by {@link Solvers#byName}.
 *
 * @param iterations epochs for sgd, iterations for gd/agd/lbfgs
 * @param step       fixed step (gd/agd), initial step eta0 (sgd); lbfgs rejects it
 * @param momentum   heavy-ball beta (agd only; gd is beta = 0)
 * @param batch      mini-batch size (sgd only)
 * @param seed       shuffling seed (sgd; ignored by the deterministic solvers)
 * @param decay      per-epoch step factor (sgd; implies the epoch-decay schedule unless one is named)
 * @param schedule   sgd step schedule: constant, optimal, inverse-scaling, epoch-decay
 * @param tolerance  relative gradient-norm tolerance (gd/agd/lbfgs)
 * @param lineSearch backtracking line search (gd/agd); lbfgs always line-searches
 * @param threads    worker threads (parallel algorithms; the serial solvers take only 1)
 * @param access     shared-parameter access mode: plain, opaque, atomic, striped, locked (hogwild)
 * @param partition  how rows are dealt to workers: contiguous, strided, random (hogwild)
 * @param stalenessEvery measure the delay tau of every k-th update (hogwild; 1 = all)
 */
public record SolverOptions(Integer iterations, Double step, Double momentum, Integer batch, Long seed,
                            Double decay, String schedule, Double tolerance, Boolean lineSearch,
                            Integer threads, String access, String partition, Integer stalenessEvery) {

    /** No option set: every solver's defaults. */
    public static SolverOptions defaults() { return builder().build(); }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private Integer iterations;
        private Double step;
        private Double momentum;
        private Integer batch;
        private Long seed;
        private Double decay;
        private String schedule;
        private Double tolerance;
        private Boolean lineSearch;
        private Integer threads;
        private String access;
        private String partition;
        private Integer stalenessEvery;

        private Builder() {}

        public Builder iterations(Integer v) { iterations = atLeast1(v, "epochs"); return this; }
        /** Alias of {@link #iterations}, for sgd. */
        public Builder epochs(Integer v) { return iterations(v); }
        public Builder step(Double v) { step = v; return this; }
        public Builder momentum(Double v) { momentum = v; return this; }
        public Builder batch(Integer v) { batch = atLeast1(v, "batch"); return this; }
        public Builder seed(Long v) { seed = v; return this; }
        public Builder decay(Double v) { decay = v; return this; }
        public Builder schedule(String v) { schedule = v; return this; }
        public Builder tolerance(Double v) { tolerance = v; return this; }
        public Builder lineSearch(Boolean v) { lineSearch = v; return this; }
        public Builder threads(Integer v) { threads = atLeast1(v, "threads"); return this; }
        public Builder access(String v) { access = v; return this; }
        public Builder partition(String v) { partition = v; return this; }
        public Builder stalenessEvery(Integer v) { stalenessEvery = atLeast1(v, "staleness-every"); return this; }

        private static Integer atLeast1(Integer v, String what) {
            if (v != null && v < 1) throw new IllegalArgumentException(what + " must be >= 1, got " + v);
            return v;
        }
        public SolverOptions build() {
            return new SolverOptions(iterations, step, momentum, batch, seed, decay, schedule, tolerance, lineSearch,
                    threads, access, partition, stalenessEvery);
        }
    }
}
