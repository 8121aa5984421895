package dev.warthog.jmh.sync;

import dev.warthog.engine.SpinBarrier;
import dev.warthog.engine.Team;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;

/**
 * The cost of synchronising two threads, the floor of every synchronous iteration (seed
 * 000 section 2: the barrier is what a synchronous algorithm pays per step, and a
 * straggler stretches it). Each score is the time per barrier crossing (ns/op): one
 * round trip in which each thread waits for the other.
 *
 * <ul>
 *   <li>{@code phaser}, {@code cyclicBarrier}, {@code spinBarrier}: a group of two threads,
 *       each op one {@code arriveAndAwaitAdvance} of a {@link Phaser}, one {@code await} of
 *       a {@link CyclicBarrier}, one {@code await} of the engine's {@link SpinBarrier}.</li>
 *   <li>{@code teamRegion}: one thread calling {@code team.run} of an empty task on a
 *       two-worker {@link Team} (the other worker is the team's own thread), on both
 *       barrier kinds: a whole parallel region, i.e. two crossings (start and end).</li>
 * </ul>
 *
 * <p>Ending an iteration without a deadlock: JMH keeps every thread of a group calling the
 * benchmark until all have finished the measurement (synchronised iterations), but the
 * last call of one thread can leave its partner waiting at the barrier. So once
 * {@link Control#stopMeasurement} is up, the next call breaks the barrier (which releases
 * a stranded partner) instead of waiting, and a fresh barrier is built for each iteration.
 *
 * <p>Run with 2 free cores; a spinning barrier on an oversubscribed machine measures the
 * scheduler, not the barrier:
 * <pre>java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar BarrierBenchmark</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BarrierBenchmark {

    /** The three barriers of a two-thread group, fresh for every iteration (the last one was broken at its end). */
    @State(Scope.Group)
    public static class Barriers {
        Phaser phaser;
        CyclicBarrier cyclic;
        SpinBarrier spin;

        @Setup(Level.Iteration)
        public void fresh() {
            phaser = new Phaser(2);
            cyclic = new CyclicBarrier(2);
            spin = new SpinBarrier(2);
        }

        @TearDown(Level.Iteration)
        public void release() {
            phaser.forceTermination();
            cyclic.reset();
            spin.breakBarrier();
        }
    }

    @Benchmark @Group("phaser") @GroupThreads(2)
    public int phaser(Barriers b, Control c) {
        if (c.stopMeasurement) { b.phaser.forceTermination(); return -1; }
        return b.phaser.arriveAndAwaitAdvance();
    }

    @Benchmark @Group("cyclicBarrier") @GroupThreads(2)
    public int cyclicBarrier(Barriers b, Control c) throws InterruptedException {
        // reset() breaks the current generation only, so every late call resets again: a
        // partner that arrived just after one reset is released by the next
        if (c.stopMeasurement) { b.cyclic.reset(); return -1; }
        try {
            return b.cyclic.await();
        } catch (BrokenBarrierException e) {
            return -1;
        }
    }

    @Benchmark @Group("spinBarrier") @GroupThreads(2)
    public boolean spinBarrier(Barriers b, Control c) {
        if (c.stopMeasurement) { b.spin.breakBarrier(); return false; }
        return b.spin.await();
    }

    /** A two-worker team; the benchmark thread is worker 0. */
    @State(Scope.Thread)
    public static class TwoWorkers {
        @Param({"spin", "phaser"})
        public String barrier;
        Team team;

        @Setup(Level.Trial)
        public void start() { team = Team.start(2, Team.Wait.parse(barrier)); }

        @TearDown(Level.Trial)
        public void stop() { team.close(); }
    }

    private static final Team.Task EMPTY = worker -> {};

    @Benchmark @Threads(1)
    public void teamRegion(TwoWorkers s) {
        s.team.run(EMPTY);
    }
}
