package dev.warthog.wpsgd;

import dev.warthog.engine.Team;
import dev.warthog.solver.Solver;
import dev.warthog.solver.SolverOptions;

/**
 * Builds seed 001's solvers from command-line options: {@code simuparallel},
 * {@code wpsgd [--r X] [--span N]} and {@code average-directly}, each with {@code --workers},
 * {@code --shares}, {@code --slowdown/--delay/--stall}, {@code --comm-delay} and {@code --barrier}.
 * {@code --epochs} is the number of passes of the fastest worker over its part.
 */
public final class WpSgdSolvers {
    private WpSgdSolvers() {}

    public static Solver byName(String name, SolverOptions opts) {
        WpSgd.Mode mode = switch (name) {
            case "simuparallel" -> WpSgd.Mode.SIMUPARALLEL;
            case "wpsgd" -> WpSgd.Mode.WPSGD;
            case "average-directly" -> WpSgd.Mode.AVERAGE_DIRECTLY;
            default -> throw new IllegalArgumentException("unknown solver '" + name + "': expected simuparallel, wpsgd or average-directly");
        };
        if (opts == null) opts = SolverOptions.defaults();
        reject(name, opts.momentum() != null, "momentum");
        reject(name, opts.batch() != null && opts.batch() != 1, "batch (each worker updates one row at a time)");
        reject(name, opts.decay() != null, "decay (seed 001 uses a constant step)");
        reject(name, opts.schedule() != null && !opts.schedule().equals("constant"), "schedule (seed 001 uses a constant step)");
        reject(name, opts.tolerance() != null, "tolerance");
        reject(name, opts.lineSearch() != null && opts.lineSearch(), "line search");
        WpSgd.Builder b = WpSgd.builder(mode);
        if (opts.threads() != null) b.threads(opts.threads());
        if (opts.workers() != null) b.workers(opts.workers());
        if (opts.iterations() != null) b.epochs(opts.iterations());
        if (opts.step() != null) b.step(opts.step());
        if (opts.seed() != null) b.seed(opts.seed());
        if (opts.r() != null) {
            if (mode != WpSgd.Mode.WPSGD) throw new IllegalArgumentException("solver " + name + " has no option r (only wpsgd weights its workers)");
            b.r(opts.r());
        }
        if (opts.span() != null) b.span(opts.span());
        if (opts.shares() != null) b.shares(opts.shares());
        if (opts.stragglers() != null) b.stragglers(opts.stragglers());
        if (opts.commDelayMs() != null) b.commDelayMs(opts.commDelayMs());
        if (opts.barrier() != null) b.barrier(Team.Wait.parse(opts.barrier()));
        return b.build();
    }

    private static void reject(String solver, boolean set, String option) {
        if (set) throw new IllegalArgumentException("solver " + solver + " has no option " + option);
    }
}
