package dev.warthog.engine;

/**
 * Runs on the caller's thread between two barriers, while every worker waits: a parameter
 * server's update, an average, or a snapshot evaluation. Everything the workers wrote
 * before the first barrier is visible here, and everything written here is visible to the
 * workers after the second (Phaser arrive/advance happens-before).
 */
@FunctionalInterface
public interface Coordinator {
    /** After round {@code round}; returns true to stop. */
    boolean afterRound(int round);
}
