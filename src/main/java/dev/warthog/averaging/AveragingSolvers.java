package dev.warthog.averaging;

import dev.warthog.engine.Team;
import dev.warthog.solver.Sgd;
import dev.warthog.solver.Solver;
import dev.warthog.solver.SolverOptions;

/**
 * Builds the periodic-averaging solvers (local-sgd, adacomm, fedavg) from command-line
 * options; {@link dev.warthog.solver.Solvers#byName} has already rejected the options
 * that belong to other families.
 */
public final class AveragingSolvers {
    private AveragingSolvers() {}

    public static Solver byName(String name, SolverOptions o) {
        if (o == null) o = SolverOptions.defaults();
        reject(name, o.momentum() != null, "momentum (use --local-momentum and --block-momentum)");
        reject(name, o.tolerance() != null, "tolerance");
        reject(name, o.lineSearch() != null && o.lineSearch(), "line search");
        return switch (name) {
            case "local-sgd" -> {
                only(name, o.tau0() == null && o.interval() == null && o.gamma() == null, "tau0/interval/gamma (adacomm)");
                only(name, o.localSteps() == null && o.serverStep() == null, "local-steps/server-step (fedavg)");
                LocalSgd.Builder b = common(LocalSgd.builder(), o);
                if (o.tau() != null) b.tau(o.tau());
                if (o.decay() != null) b.decay(o.decay());
                if (o.schedule() != null) b.schedule(Sgd.Schedule.parse(o.schedule()));
                if (o.localMomentum() != null) b.localMomentum(o.localMomentum());
                if (o.blockMomentum() != null) b.blockMomentum(o.blockMomentum());
                else if (o.localMomentum() != null && o.localMomentum() > 0) b.blockMomentum(0.3);
                yield b.build();
            }
            case "adacomm" -> {
                only(name, o.tau() == null, "tau (adacomm takes --tau0)");
                only(name, o.schedule() == null, "schedule (adacomm keeps eta fixed until tau = 1, then multiplies it by --decay per interval)");
                only(name, o.localSteps() == null && o.serverStep() == null, "local-steps/server-step (fedavg)");
                AdaComm.Builder b = common(AdaComm.builder(), o);
                b.tau0(o.tau0());
                b.interval(o.interval());
                if (o.gamma() != null) b.gamma(o.gamma());
                if (o.decay() != null) b.decay(o.decay());
                if (o.localMomentum() != null) b.localMomentum(o.localMomentum());
                if (o.blockMomentum() != null) b.blockMomentum(o.blockMomentum());
                yield b.build();
            }
            case "fedavg" -> {
                only(name, o.tau() == null && o.tau0() == null && o.interval() == null && o.gamma() == null,
                        "tau/tau0/interval/gamma (fedavg takes --local-steps)");
                only(name, o.schedule() == null, "schedule (fedavg's local step is constant; --decay scales the server step per epoch)");
                only(name, o.blockMomentum() == null, "block-momentum (adacomm/local-sgd)");
                FedAvg.Builder b = common(FedAvg.builder(), o);
                if (o.localSteps() != null) b.localSteps(o.localSteps());
                if (o.serverStep() != null) b.serverStep(o.serverStep());
                if (o.decay() != null) b.decay(o.decay());
                if (o.localMomentum() != null) b.localMomentum(o.localMomentum());
                yield b.build();
            }
            default -> throw new IllegalArgumentException("unknown averaging solver '" + name + "': expected local-sgd, adacomm or fedavg");
        };
    }

    private static <B extends Settings<B>> B common(B b, SolverOptions o) {
        if (o.threads() != null) b.threads(o.threads());
        if (o.workers() != null) b.workers(o.workers());
        if (o.barrier() != null) b.barrier(Team.Wait.parse(o.barrier()));
        if (o.batch() != null) b.batch(o.batch());
        if (o.seed() != null) b.seed(o.seed());
        if (o.iterations() != null) b.epochs(o.iterations());
        if (o.step() != null) b.step(o.step());
        if (o.stragglers() != null) b.stragglers(o.stragglers());
        if (o.commDelayMs() != null) b.commDelayMs(o.commDelayMs());
        if (o.shares() != null) {
            Shares.parse(o.shares(), b.workersOrThreads());   // fail early, naming the option
            b.shares(o.shares());
        }
        return b;
    }

    private static void reject(String name, boolean given, String what) {
        if (given) throw new IllegalArgumentException("solver " + name + " has no option " + what);
    }

    private static void only(String name, boolean ok, String what) {
        if (!ok) throw new IllegalArgumentException("solver " + name + " has no option " + what);
    }
}
