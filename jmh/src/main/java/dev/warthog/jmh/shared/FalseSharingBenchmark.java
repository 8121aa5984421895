package dev.warthog.jmh.shared;

import dev.warthog.shared.AccessMode;
import dev.warthog.shared.PaddedCounters;
import dev.warthog.shared.SharedVector;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * False sharing between two threads that never touch each other's data (after JMH sample 22,
 * {@code JMHSample_22_FalseSharing}). Each group runs two threads, each writing only its own
 * location; the score per thread and for the group is in ops/us.
 *
 * <ul>
 *   <li>{@code counters_padded} / {@code counters_unpadded}: worker 0 and worker 1 each
 *       {@link PaddedCounters#incrementOwnOpaque} their own counter, in
 *       {@code new PaddedCounters(2, true)} (16 longs apart, as the solvers use them) versus
 *       {@code new PaddedCounters(2, false)} (adjacent longs).</li>
 *   <li>{@code vector_adjacent} / {@code vector_apart}: one thread adds to w[0], the other to
 *       w[1] (same cache line) or w[16] (two lines further on, so not in the same 128-byte
 *       adjacent-line-prefetch pair either), with {@code op} = {@code plain}
 *       ({@link SharedVector#addPlain}, the Hogwild! update), {@code opaque}
 *       ({@link SharedVector#addOpaque}) or {@code atomic} ({@link SharedVector#addAtomic},
 *       a CAS loop).</li>
 * </ul>
 *
 * <p>The fork runs with {@code -XX:ObjectAlignmentInBytes=64} so that every array starts on a
 * cache-line boundary: elements 1 and 2 of a {@code long[]} (the unpadded counters, at byte
 * offsets 24 and 32) and elements 0 and 1 of a {@code double[]} (offsets 16 and 24) are then
 * certainly in one line, and w[16] (offset 144) certainly in another. With the default 8-byte
 * alignment the unpadded pair would straddle a line boundary in 1 allocation out of 8.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar jmh/target/benchmarks.jar FalseSharingBenchmark</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = { "--add-modules=jdk.incubator.vector", "-Xmx1g", "-XX:ObjectAlignmentInBytes=64" })
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FalseSharingBenchmark {

    /** Counters of two workers, one state per group. */
    @State(Scope.Group)
    public static class Counters {
        public PaddedCounters padded, unpadded;

        @Setup(Level.Trial)
        public void setup() {
            padded = new PaddedCounters(2, true);
            unpadded = new PaddedCounters(2, false);
        }
    }

    /** A shared vector of 32 coordinates (4 cache lines), one state per group. */
    @State(Scope.Group)
    public static class Vector {
        @Param({ "plain", "opaque", "atomic" })
        public String op;

        public SharedVector w;
        private int mode;

        @Setup(Level.Trial)
        public void setup() {
            w = SharedVector.create(AccessMode.PLAIN, 32);
            mode = switch (op) {
                case "plain" -> 0;
                case "opaque" -> 1;
                case "atomic" -> 2;
                default -> throw new IllegalArgumentException("op: plain, opaque or atomic, got " + op);
            };
        }

        void add(int j) {
            switch (mode) {
                case 0 -> w.addPlain(j, 1.0);
                case 1 -> w.addOpaque(j, 1.0);
                default -> w.addAtomic(j, 1.0);
            }
        }
    }

    // ------------------------------------------------------------ per-worker counters

    @Benchmark @Group("counters_padded") @GroupThreads(1)
    public void paddedWorker0(Counters c) { c.padded.incrementOwnOpaque(0); }

    @Benchmark @Group("counters_padded") @GroupThreads(1)
    public void paddedWorker1(Counters c) { c.padded.incrementOwnOpaque(1); }

    @Benchmark @Group("counters_unpadded") @GroupThreads(1)
    public void unpaddedWorker0(Counters c) { c.unpadded.incrementOwnOpaque(0); }

    @Benchmark @Group("counters_unpadded") @GroupThreads(1)
    public void unpaddedWorker1(Counters c) { c.unpadded.incrementOwnOpaque(1); }

    // ------------------------------------------------------------ shared vector coordinates

    @Benchmark @Group("vector_adjacent") @GroupThreads(1)
    public void adjacentW0(Vector v) { v.add(0); }

    @Benchmark @Group("vector_adjacent") @GroupThreads(1)
    public void adjacentW1(Vector v) { v.add(1); }

    @Benchmark @Group("vector_apart") @GroupThreads(1)
    public void apartW0(Vector v) { v.add(0); }

    @Benchmark @Group("vector_apart") @GroupThreads(1)
    public void apartW16(Vector v) { v.add(16); }
}
