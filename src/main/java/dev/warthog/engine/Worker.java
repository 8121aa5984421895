package dev.warthog.engine;

/**
 * What one worker does, apart from the threading: the engine (or a deterministic scheduler)
 * calls {@link #beginRound} once per round, then {@link #step} for k = 0 .. steps-1 unless
 * told to stop. A worker is confined to one thread at a time; what it shares with other
 * workers (a {@code SharedVector}, counters) is the algorithm's business and is documented
 * there.
 */
public interface Worker {
    /** Prepares round {@code round} (1-based): a new sample order, the round's step size. */
    void beginRound(int round);

    /** Steps in the current round (samples or mini-batches). */
    int stepsPerRound();

    /** Step k of the current round. */
    void step(int k);
}
