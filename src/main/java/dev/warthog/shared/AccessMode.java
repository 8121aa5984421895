package dev.warthog.shared;

/**
 * How workers read and write a {@link SharedVector} (seed 002, sections III and IV.A).
 * The modes trade consistency for speed; which updates may be lost is checked by jcstress.
 */
public enum AccessMode {
    /** Racy plain loads and stores, as the original Hogwild! code does: updates may be lost, reads may be stale. */
    PLAIN("plain"),
    /** Opaque loads and stores: no torn or out-of-thin-air values, every store eventually visible; still lossy under races. */
    OPAQUE("opaque"),
    /** Every coordinate update is an atomic add (a CAS loop on the value's bits): no update is ever lost. */
    ATOMIC("atomic"),
    /** A lock per block of coordinates; a sparse update takes the locks of the blocks it touches, in order. */
    STRIPED("striped"),
    /** One lock for the whole vector around each read-and-update: the consistent-read baseline (seed 002 Figure 2). */
    LOCKED("locked");

    private final String cliName;

    AccessMode(String cliName) { this.cliName = cliName; }

    public String cliName() { return cliName; }

    public static AccessMode parse(String s) {
        for (AccessMode m : values()) if (m.cliName.equals(s)) return m;
        throw new IllegalArgumentException("unknown access mode '" + s + "': expected plain, opaque, atomic, striped or locked");
    }
}
