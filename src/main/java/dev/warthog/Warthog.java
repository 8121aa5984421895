package dev.warthog;

import dev.warthog.data.Dataset;
import dev.warthog.io.DataFiles;

import java.nio.file.Path;

/** Static entry points of the Java API: read data, start a {@link Training}. */
public final class Warthog {
    private Warthog() {}

    /** Reads a LIBSVM or CSV file, the format chosen by extension (.csv is CSV, anything else LIBSVM). */
    public static Dataset read(Path file) { return DataFiles.read(file); }

    /** Starts configuring a training run on {@code data}. */
    public static Training train(Dataset data) { return new Training(data); }
}
