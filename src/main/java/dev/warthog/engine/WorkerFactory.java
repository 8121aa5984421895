package dev.warthog.engine;

import dev.warthog.data.RowSubset;

import java.util.SplittableRandom;

/**
 * Makes worker {@code id} over its partition, with its own random stream. Called on the
 * worker's own thread (so what the worker allocates is local to it), concurrently for
 * different ids; an exception here fails the run like one thrown by a step.
 */
@FunctionalInterface
public interface WorkerFactory {
    Worker create(int id, RowSubset partition, SplittableRandom rnd);
}
