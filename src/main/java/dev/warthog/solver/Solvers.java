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
            "asaga", "proxasaga", "async-iag");

    /** The parallel solvers: the only ones that take threads, access and partition. */
    private static final List<String> PARALLEL = List.of("hogwild", "asaga", "proxasaga", "async-iag");

    /**
     * The solver called {@code name}, configured by {@code opts} (null fields keep the
     * solver's defaults). Fails with an IllegalArgumentException for an unknown name, for an
     * invalid value, and for an option the solver does not have (e.g. momentum for sgd);
     * {@code seed} is accepted and ignored by the deterministic solvers.
     */
    public static Solver byName(String name, SolverOptions opts) {
        if (opts == null) opts = SolverOptions.defaults();
        String key = name == null ? "" : name.trim();
        if (!PARALLEL.contains(key)) {
            if (opts.threads() != null && opts.threads() != 1)
                throw new IllegalArgumentException("solver " + key + " is serial: it takes --threads 1 (parallel: "
                        + String.join(", ", PARALLEL) + ")");
            reject(key, opts.access() != null, "access (it is serial)");
            reject(key, opts.partition() != null, "partition (it is serial)");
            reject(key, opts.stalenessEvery() != null, "staleness-every (it is serial)");
        }
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
            default -> throw new IllegalArgumentException("unknown solver '" + name + "': expected one of "
                    + String.join(", ", NAMES));
        };
    }

    /** The solver called {@code name} with its defaults. */
    public static Solver byName(String name) { return byName(name, SolverOptions.defaults()); }

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
