package dev.warthog.solver;

import java.util.ArrayList;
import java.util.List;

/** Builds the serial solvers by command-line name: gd, agd, sgd, lbfgs. */
public final class Solvers {
    private Solvers() {}

    /** The names {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("gd", "agd", "sgd", "lbfgs");

    /**
     * The solver called {@code name}, configured by {@code opts} (null fields keep the
     * solver's defaults). Fails with an IllegalArgumentException for an unknown name, for an
     * invalid value, and for an option the solver does not have (e.g. momentum for sgd);
     * {@code seed} is accepted and ignored by the deterministic solvers.
     */
    public static Solver byName(String name, SolverOptions opts) {
        if (opts == null) opts = SolverOptions.defaults();
        String key = name == null ? "" : name.trim();
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
