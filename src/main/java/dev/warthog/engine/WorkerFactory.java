package dev.warthog.engine;

import dev.warthog.data.RowSubset;

import java.util.SplittableRandom;

/** Makes worker {@code id} over its partition, with its own random stream. */
@FunctionalInterface
public interface WorkerFactory {
    Worker create(int id, RowSubset partition, SplittableRandom rnd);
}
