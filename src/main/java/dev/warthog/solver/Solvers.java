package dev.warthog.solver;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the solvers by command-line name: the serial gd, agd, sgd, lbfgs, sag, saga, iag and
 * the parallel hogwild, asaga, proxasaga and async-iag.
 */
public final class Solvers {
    private Solvers() {}

    /** The names {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("gd", "agd", "sgd", "lbfgs", "sag", "saga", "iag", "hogwild",
            "asaga", "proxasaga", "async-iag", "minibatch-sgd", "async-sgd", "local-sgd", "adacomm", "fedavg",
            "simuparallel", "wpsgd", "average-directly");

    /** The parallel solvers: the only ones that take threads (gd and agd run synchronous parallel GD/AGD). */
    private static final List<String> PARALLEL = List.of("gd", "agd", "hogwild", "asaga", "proxasaga", "async-iag",
            "minibatch-sgd", "async-sgd", "local-sgd", "adacomm", "fedavg", "simuparallel", "wpsgd", "average-directly");

    /** The lock-free solvers: the only ones that take access and partition. */
    private static final List<String> LOCK_FREE = List.of("hogwild", "asaga", "proxasaga", "async-iag");

    /**
     * The solver called {@code name}, configured by {@code opts} (null fields keep the
     * solver's defaults). Fails with an IllegalArgumentException for an unknown name, for an
     * invalid value, and for an option the solver does not have (e.g. momentum for sgd);
     * {@code seed} is accepted and ignored by the deterministic solvers.
     */
    public static Solver byName(String name, SolverOptions opts) {
        if (opts == null) opts = SolverOptions.defaults();
        String key = name == null ? "" : name.trim();
        if (!PARALLEL.contains(key) && NAMES.contains(key) && opts.threads() != null && opts.threads() != 1)
            throw new IllegalArgumentException("solver " + key + " is serial: it takes --threads 1 (parallel: "
                    + String.join(", ", PARALLEL) + ")");
        boolean asyncFamily = LOCK_FREE.contains(key) || key.equals("async-sgd") || !NAMES.contains(key);
        if (!asyncFamily) {
            reject(key, opts.access() != null, "access (only the lock-free solvers share w without barriers)");
            reject(key, opts.partition() != null, "partition");
            reject(key, opts.stalenessEvery() != null, "staleness-every");
        }
        onlyNewOptions(key, opts, switch (key) {
            case "gd", "agd" -> List.of("aggregate", "barrier", "blocks", "stragglers");
            case "minibatch-sgd" -> List.of("workers", "aggregate", "barrier", "blocks", "form", "stragglers");
            case "async-sgd" -> List.of("staleness", "stragglers");
            case "local-sgd", "adacomm", "fedavg" -> List.of("workers", "barrier", "stragglers", "tau", "tau0", "interval", "gamma",
                    "blockMomentum", "localMomentum", "localSteps", "serverStep", "shares", "commDelayMs");
            case "simuparallel", "wpsgd", "average-directly" -> List.of("workers", "barrier", "stragglers", "r", "span", "shares",
                    "commDelayMs");
            default -> List.of();
        });
        return switch (key) {
            case "gd", "agd" -> {
                reject(key, opts.batch() != null, "batch");
                reject(key, opts.decay() != null, "decay");
                reject(key, opts.schedule() != null, "schedule");
                if (key.equals("gd") && opts.momentum() != null && opts.momentum() != 0)
                    throw new IllegalArgumentException("solver gd has no momentum (it is beta = 0); use agd --momentum");
                GradientDescent.Builder b = key.equals("gd") ? GradientDescent.gd() : GradientDescent.agd();
                if (opts.momentum() != null) b.momentum(opts.momentum());
                if (opts.iterations() != null) b.maxIterations(opts.iterations());
                if (opts.step() != null) b.step(opts.step());
                if (opts.tolerance() != null) b.tolerance(opts.tolerance());
                if (opts.lineSearch() != null) b.backtracking(opts.lineSearch());
                // synchronous parallel GD/AGD (seed 000 section 2.3): same iterates at any thread count
                int threads = opts.threads() == null ? 1 : opts.threads();
                b.threads(threads);
                if (opts.aggregate() != null) b.aggregation(dev.warthog.sync.Aggregation.parse(opts.aggregate()));
                if (opts.barrier() != null) b.barrier(dev.warthog.engine.Team.Wait.parse(opts.barrier()));
                if (opts.blocks() != null) b.blocks(opts.blocks());
                if (opts.stragglers() != null && opts.stragglers().any()) {
                    opts.stragglers().checkWorkers(threads);
                    b.stragglers(opts.stragglers());
                }
                if (opts.seed() != null) b.seed(opts.seed());
                yield b.build();
            }
            case "sgd" -> {
                reject(key, opts.momentum() != null, "momentum");
                reject(key, opts.tolerance() != null, "tolerance");
                reject(key, opts.lineSearch() != null && opts.lineSearch(), "line search");
                Sgd.Builder b = Sgd.builder();
                if (opts.iterations() != null) b.epochs(opts.iterations());
                if (opts.step() != null) b.step(opts.step());
                if (opts.batch() != null) b.batch(opts.batch());
                if (opts.seed() != null) b.seed(opts.seed());
                if (opts.decay() != null) b.decay(opts.decay());
                if (opts.schedule() != null) b.schedule(Sgd.Schedule.parse(opts.schedule()));
                else if (opts.decay() != null) b.schedule(Sgd.Schedule.EPOCH_DECAY);
                yield b.build();
            }
            case "lbfgs" -> {
                reject(key, opts.step() != null, "step (it line-searches)");
                reject(key, opts.momentum() != null, "momentum");
                reject(key, opts.batch() != null, "batch");
                reject(key, opts.decay() != null, "decay");
                reject(key, opts.schedule() != null, "schedule");
                Lbfgs.Builder b = Lbfgs.builder();
                if (opts.iterations() != null) b.maxIterations(opts.iterations());
                if (opts.tolerance() != null) b.gradientTolerance(opts.tolerance());
                yield b.build();
            }
            case "sag", "saga", "iag" -> {
                reject(key, opts.momentum() != null, "momentum");
                reject(key, opts.batch() != null, "batch (it updates one row at a time)");
                reject(key, opts.decay() != null, "decay (it takes a constant step)");
                reject(key, opts.schedule() != null, "schedule (it takes a constant step)");
                reject(key, opts.tolerance() != null, "tolerance");
                reject(key, opts.lineSearch() != null && opts.lineSearch(), "line search");
                var b = dev.warthog.vr.VarianceReduced.builder(switch (key) {
                    case "sag" -> dev.warthog.vr.VarianceReduced.Method.SAG;
                    case "saga" -> dev.warthog.vr.VarianceReduced.Method.SAGA;
                    default -> dev.warthog.vr.VarianceReduced.Method.IAG;
                });
                if (opts.iterations() != null) b.epochs(opts.iterations());
                if (opts.step() != null) b.step(opts.step());
                if (opts.seed() != null) b.seed(opts.seed());   // iag: accepted and ignored (cyclic order)
                yield b.build();
            }
            case "hogwild" -> {
                reject(key, opts.momentum() != null, "momentum");
                reject(key, opts.batch() != null && opts.batch() != 1, "batch (it updates one row at a time)");
                reject(key, opts.schedule() != null, "schedule (constant step with --decay)");
                reject(key, opts.tolerance() != null, "tolerance");
                reject(key, opts.lineSearch() != null && opts.lineSearch(), "line search");
                var b = dev.warthog.hogwild.Hogwild.builder();
                if (opts.threads() != null) b.threads(opts.threads());
                if (opts.iterations() != null) b.epochs(opts.iterations());
                if (opts.step() != null) b.step(opts.step());
                if (opts.decay() != null) b.decay(opts.decay());
                if (opts.seed() != null) b.seed(opts.seed());
                if (opts.access() != null) b.access(dev.warthog.shared.AccessMode.parse(opts.access()));
                if (opts.partition() != null) b.partitioning(dev.warthog.engine.Partitioning.parse(opts.partition()));
                if (opts.stalenessEvery() != null) b.stalenessEvery(opts.stalenessEvery());
                yield b.build();
            }
            case "asaga", "proxasaga", "async-iag" -> {
                reject(key, opts.momentum() != null, "momentum");
                reject(key, opts.batch() != null && opts.batch() != 1, "batch (it updates one row at a time)");
                reject(key, opts.decay() != null, "decay (it takes a constant step)");
                reject(key, opts.schedule() != null, "schedule (it takes a constant step)");
                reject(key, opts.tolerance() != null, "tolerance");
                reject(key, opts.lineSearch() != null && opts.lineSearch(), "line search");
                reject(key, opts.stalenessEvery() != null, "staleness-every");
                var b = dev.warthog.asaga.Asaga.builder();
                if (opts.threads() != null) b.threads(opts.threads());
                if (opts.iterations() != null) b.epochs(opts.iterations());
                if (opts.step() != null) b.step(opts.step());
                if (opts.seed() != null) b.seed(opts.seed());
                if (opts.access() != null) b.access(dev.warthog.shared.AccessMode.parse(opts.access()));
                if (opts.partition() != null) b.partitioning(dev.warthog.engine.Partitioning.parse(opts.partition()));
                Solver s = switch (key) {
                    case "asaga" -> b.build();
                    case "proxasaga" -> dev.warthog.asaga.ProxAsaga.from(b);
                    default -> dev.warthog.asaga.AsyncIag.from(b);
                };
                yield s;
            }
            case "minibatch-sgd" -> dev.warthog.sync.MinibatchSgd.fromOptions(opts);
            case "async-sgd" -> dev.warthog.paramserver.AsyncSgd.fromOptions(opts);
            case "local-sgd", "adacomm", "fedavg" -> dev.warthog.averaging.AveragingSolvers.byName(key, opts);
            case "simuparallel", "wpsgd", "average-directly" -> dev.warthog.wpsgd.WpSgdSolvers.byName(key, opts);
            default -> throw new IllegalArgumentException("unknown solver '" + name + "': expected one of "
                    + String.join(", ", NAMES));
        };
    }

    /** The solver called {@code name} with its defaults. */
    public static Solver byName(String name) { return byName(name, SolverOptions.defaults()); }

    /**
     * Rejects every option of the parallel families that {@code key} does not take; the CLI
     * names are given in messages ({@code blockMomentum} is {@code --block-momentum}).
     */
    private static void onlyNewOptions(String key, SolverOptions o, List<String> allowed) {
        java.util.Map<String, Object> set = new java.util.LinkedHashMap<>();
        set.put("workers", o.workers()); set.put("aggregate", o.aggregate()); set.put("barrier", o.barrier()); set.put("blocks", o.blocks());
        set.put("form", o.form()); set.put("staleness", o.staleness());
        set.put("stragglers", o.stragglers() != null && o.stragglers().any() ? o.stragglers() : null);
        set.put("tau", o.tau()); set.put("tau0", o.tau0()); set.put("interval", o.interval()); set.put("gamma", o.gamma());
        set.put("blockMomentum", o.blockMomentum()); set.put("localMomentum", o.localMomentum());
        set.put("localSteps", o.localSteps()); set.put("serverStep", o.serverStep()); set.put("r", o.r());
        set.put("span", o.span()); set.put("shares", o.shares()); set.put("commDelayMs", o.commDelayMs());
        for (var e : set.entrySet()) {
            if (e.getValue() == null || allowed.contains(e.getKey())) continue;
            String cli = switch (e.getKey()) {
                case "stragglers" -> "slowdown/delay/stall";
                case "commDelayMs" -> "comm-delay";
                default -> e.getKey().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            };
            throw new IllegalArgumentException("solver " + key + " has no option " + cli);
        }
    }

    private static void reject(String solver, boolean set, String option) {
        if (set) throw new IllegalArgumentException("solver " + solver + " has no option " + option);
    }

    /** For messages: every name with its default configuration. */
    public static List<String> describe() {
        List<String> out = new ArrayList<>();
        for (String n : NAMES) out.add(byName(n).toString());
        return out;
    }
}
