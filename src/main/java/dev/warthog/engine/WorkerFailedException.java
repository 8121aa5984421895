package dev.warthog.engine;

/** A worker threw: every worker was stopped, and this carries the worker's exception as its cause. */
public class WorkerFailedException extends RuntimeException {
    private final int worker;

    public WorkerFailedException(int worker, Throwable cause) {
        super("worker " + worker + " failed: " + cause, cause);
        this.worker = worker;
    }

    public int worker() { return worker; }
}
