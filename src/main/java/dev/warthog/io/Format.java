package dev.warthog.io;

import java.nio.file.Path;
import java.util.Locale;

/** Data file formats Warthog reads. */
public enum Format {
    /** LIBSVM / SVMlight sparse text, see {@link LibsvmReader}. */
    LIBSVM,
    /** Dense numeric CSV, see {@link CsvReader}. */
    CSV;

    /** Parses a command-line name: {@code libsvm} (or {@code svmlight}) or {@code csv}. */
    public static Format parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "libsvm", "svmlight" -> LIBSVM;
            case "csv" -> CSV;
            default -> throw new IllegalArgumentException("unknown format '" + name + "': expected libsvm or csv");
        };
    }

    /**
     * The format a file name suggests: {@code .csv} is CSV; everything else ({@code .svm},
     * {@code .libsvm}, {@code .txt}, no extension, and the many ad-hoc LIBSVM names such as
     * {@code a9a.t} or {@code heart_scale}) is LIBSVM. A trailing {@code .gz} is looked through.
     */
    public static Format fromExtension(Path file) {
        Path f = file.getFileName();
        String n = f == null ? "" : f.toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gz")) n = n.substring(0, n.length() - 3);
        return n.endsWith(".csv") ? CSV : LIBSVM;
    }
}
