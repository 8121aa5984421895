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
 * @param workers    logical workers M of the synchronous SGD and averaging families (results depend on M, never on threads; default = threads)
 * @param aggregate how synchronous workers combine gradients: server, sliced, tree (gd/agd/minibatch-sgd)
 * @param barrier how synchronous workers wait: phaser or spin
 * @param blocks fixed number of row blocks of the deterministic reduction (default from the data's shape)
 * @param form synchronous mini-batch SGD form: gradient, model, replica (seed 004 sec. 2.1.2)
 * @param staleness async-sgd bound s: a worker more than s updates ahead of the slowest waits (null: unbounded)
 * @param stragglers slowdown, random delay and stalls of workers (null: none)
 * @param tau local steps between two averagings (local-sgd)
 * @param tau0 AdaComm's first period (null: picked by a short grid search)
 * @param interval AdaComm's interval T0: seconds with an 's' suffix ("2s") or a count of local steps ("500")
 * @param gamma AdaComm's period factor when the rule gives no smaller period (default 1/2)
 * @param blockMomentum global (block) momentum beta_glob (adacomm; default 0.3 when local momentum is on)
 * @param localMomentum local momentum, reset after each averaging (adacomm/local-sgd)
 * @param localSteps FedAvg's q local steps per round
 * @param serverStep FedAvg's server step alpha
 * @param r WP-SGD's weight base r of eq. (8) (null: 1 - lambda eta, eq. (6))
 * @param span periodic WP-SGD: weighted averaging every span iterations of the fastest worker
 * @param shares per-worker share of the data, i:fraction,... (unequal workloads)
 * @param commDelayMs injected communication delay per averaging round, in ms
 */
public record SolverOptions(Integer iterations, Double step, Double momentum, Integer batch, Long seed,
                            Double decay, String schedule, Double tolerance, Boolean lineSearch,
                            Integer threads, String access, String partition, Integer stalenessEvery,
                            Integer workers, String aggregate,
                            String barrier,
                            Integer blocks,
                            String form,
                            Integer staleness,
                            dev.warthog.engine.Stragglers stragglers,
                            Integer tau,
                            Integer tau0,
                            String interval,
                            Double gamma,
                            Double blockMomentum,
                            Double localMomentum,
                            Integer localSteps,
                            Double serverStep,
                            Double r,
                            Integer span,
                            String shares,
                            Double commDelayMs) {

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
        private Integer workers;
        private String aggregate;
        private String barrier;
        private Integer blocks;
        private String form;
        private Integer staleness;
        private dev.warthog.engine.Stragglers stragglers;
        private Integer tau;
        private Integer tau0;
        private String interval;
        private Double gamma;
        private Double blockMomentum;
        private Double localMomentum;
        private Integer localSteps;
        private Double serverStep;
        private Double r;
        private Integer span;
        private String shares;
        private Double commDelayMs;

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

        public Builder workers(Integer v) { workers = atLeast1(v, "workers"); return this; }
        public Builder aggregate(String v) { aggregate = v; return this; }
        public Builder barrier(String v) { barrier = v; return this; }
        public Builder blocks(Integer v) { blocks = atLeast1(v, "blocks"); return this; }
        public Builder form(String v) { form = v; return this; }
        public Builder staleness(Integer v) { if (v != null && v < 0) throw new IllegalArgumentException("staleness must be >= 0, got " + v); staleness = v; return this; }
        public Builder stragglers(dev.warthog.engine.Stragglers v) { stragglers = v; return this; }
        public Builder tau(Integer v) { tau = atLeast1(v, "tau"); return this; }
        public Builder tau0(Integer v) { tau0 = atLeast1(v, "tau0"); return this; }
        public Builder interval(String v) { interval = v; return this; }
        public Builder gamma(Double v) { gamma = v; return this; }
        public Builder blockMomentum(Double v) { blockMomentum = v; return this; }
        public Builder localMomentum(Double v) { localMomentum = v; return this; }
        public Builder localSteps(Integer v) { localSteps = atLeast1(v, "localSteps"); return this; }
        public Builder serverStep(Double v) { serverStep = v; return this; }
        public Builder r(Double v) { r = v; return this; }
        public Builder span(Integer v) { span = atLeast1(v, "span"); return this; }
        public Builder shares(String v) { shares = v; return this; }
        public Builder commDelayMs(Double v) { commDelayMs = v; return this; }

        private static Integer atLeast1(Integer v, String what) {
            if (v != null && v < 1) throw new IllegalArgumentException(what + " must be >= 1, got " + v);
            return v;
        }
        public SolverOptions build() {
            return new SolverOptions(iterations, step, momentum, batch, seed, decay, schedule, tolerance, lineSearch,
                    threads, access, partition, stalenessEvery,
                    workers, aggregate, barrier, blocks, form, staleness, stragglers, tau, tau0, interval, gamma, blockMomentum, localMomentum, localSteps, serverStep, r, span, shares, commDelayMs);
        }
    }
}
