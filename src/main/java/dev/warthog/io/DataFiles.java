package dev.warthog.io;

import dev.warthog.data.Dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads a data file in the format its name suggests or the caller names. */
public final class DataFiles {
    private DataFiles() {}

    /** Reads {@code file} in the format {@link Format#fromExtension} picks, default options. */
    public static Dataset read(Path file) {
        return read(file, Format.fromExtension(file));
    }

    /** Reads {@code file} in {@code format} with default options. */
    public static Dataset read(Path file, Format format) {
        return switch (format) {
            case LIBSVM -> LibsvmReader.read(file);
            case CSV -> CsvReader.read(file);
        };
    }

    /**
     * Reads {@code file} in {@code format}; for CSV, {@code labelColumn} (may be null: the
     * first column) is a header name or a 0-based position (negative counts from the end).
     */
    public static Dataset read(Path file, Format format, String labelColumn) {
        if (format == Format.LIBSVM || labelColumn == null) return read(file, format);
        CsvReader.Builder b = CsvReader.builder();
        try {
            b.labelColumn(Integer.parseInt(labelColumn.trim()));
        } catch (NumberFormatException notAPosition) {
            b.labelColumn(labelColumn);
        }
        return b.read(file);
    }

    /** One read of an opened stream by a format's parser. */
    @FunctionalInterface
    interface StreamParser {
        Dataset parse(InputStream in, String name) throws IOException;
    }

    /** Opens {@code file} (decompressing {@code .gz}), parses it, closes it; I/O errors name the file. */
    static Dataset parseFile(Path file, StreamParser parser) {
        String name = file.toString();
        try (InputStream in = open(file)) {
            return parser.parse(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code in} (not closed); I/O errors name {@code name}. */
    static Dataset parseStream(InputStream in, String name, StreamParser parser) {
        try {
            return parser.parse(in, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a file for reading, decompressing a {@code .gz} name. A missing file fails with an
     * {@link UncheckedIOException} whose message names it.
     */
    static InputStream open(Path file) {
        try {
            InputStream in = Files.newInputStream(file);
            if (file.toString().endsWith(".gz")) {
                try {
                    in = new GZIPInputStream(in, 1 << 16);
                } catch (IOException e) {
                    in.close();
                    throw e;
                }
            }
            return in;
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read " + file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }
}
