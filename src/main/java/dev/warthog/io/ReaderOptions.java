package dev.warthog.io;

import dev.warthog.data.Dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * What the text readers' builders ({@link LibsvmReader.Builder}, {@link CsvReader.Builder})
 * share: the read block size and the two ways to read, a file or an open stream. Each read
 * sees the options set at that time, so a builder may be reused.
 */
public abstract class ReaderOptions<B extends ReaderOptions<B>> {
    int bufferSize = LibsvmReader.DEFAULT_BUFFER_SIZE;

    ReaderOptions() {}   // only this package's readers extend it

    /** Read block size in bytes (tuning and tests; lines longer than it still work). */
    public B bufferSize(int bytes) {
        if (bytes < 2) throw new IllegalArgumentException("buffer size must be >= 2, got " + bytes);
        this.bufferSize = bytes;
        return self();
    }

    /** Reads {@code file} (a {@code .gz} name is decompressed); I/O errors name the file. */
    public Dataset read(Path file) {
        return DataFiles.parseFile(file, this::parse);
    }

    /** Reads from {@code in} (not closed); {@code name} is used in messages. */
    public Dataset read(InputStream in, String name) {
        return DataFiles.parseStream(in, name, this::parse);
    }

    /** One read of an open stream with the options set now. */
    abstract Dataset parse(InputStream in, String name) throws IOException;

    @SuppressWarnings("unchecked")
    private B self() { return (B) this; }
}
