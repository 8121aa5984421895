package dev.warthog.cli;

import dev.warthog.data.DataFormatException;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into the one line the CLI prints. */
final class Errors {
    private Errors() {}

    static String oneLine(Throwable t) {
        Throwable e = t;
        if (e instanceof UncheckedIOException u && u.getCause() != null && u.getMessage() == null) e = u.getCause();
        if (e instanceof NoSuchFileException n) return "no such file: " + n.getFile();
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        if (!(e instanceof DataFormatException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException)
                && e.getCause() != null && e.getCause() != e && e.getCause().getMessage() != null) {
            m = m + " (caused by " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")";
        }
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    /** Bad input or arguments (exit 2) rather than a failure of the run (exit 1). */
    static boolean isUserError(Throwable t) {
        return t instanceof DataFormatException || t instanceof IllegalArgumentException
                || t instanceof UncheckedIOException || t instanceof NoSuchFileException;
    }
}
