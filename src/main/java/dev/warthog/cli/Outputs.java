package dev.warthog.cli;

import dev.warthog.io.AtomicFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a command writes under one {@code --out PREFIX} (PREFIX.md, PREFIX.csv, ...) and
 * its {@code --json FILE}: checked before the command's work, so a run of minutes never ends in
 * "cannot write", and written atomically after it.
 */
final class Outputs {
    private Outputs() {}

    /**
     * Checks PREFIX.ext for each of {@code exts} when {@code prefix} is not null, and {@code json}
     * when not null ({@link AtomicFiles#checkWritable}).
     */
    static void check(Path prefix, Path json, String... exts) {
        List<Path> files = new ArrayList<>();
        if (prefix != null) for (String e : exts) files.add(Path.of(prefix + "." + e));
        if (json != null) files.add(json);
        AtomicFiles.checkWritable(files.toArray(Path[]::new));
    }

    /** Writes the text {@code s} to {@code f} atomically. */
    static void text(Path f, String s) {
        AtomicFiles.write(f, w -> w.write(s));
    }
}
