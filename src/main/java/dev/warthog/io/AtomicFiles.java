package dev.warthog.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that nothing is ever half-written: into a temporary sibling, then a move
 * over the target (atomic where the file system allows). A failed write leaves the old file,
 * if any, as it was, and no temporary file behind. {@link #checkWritable} lets a command
 * refuse an output it could not write before it spends minutes computing it.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What writes a text file's content (UTF-8). */
    @FunctionalInterface
    public interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /** What writes a file's bytes. */
    @FunctionalInterface
    public interface Bytes {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes the text file {@code file} from {@code content}, creating its folder if needed. */
    public static void write(Path file, Content content) {
        writeBytes(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            content.writeTo(w);
            w.flush();
        });
    }

    /** Writes {@code file} from {@code content}, creating its folder if needed. */
    public static void writeBytes(Path file, Bytes content) {
        Path abs = file.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            // a unique name: two writers of one target never share a temporary file
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* the first error is the one to report */ }
            }
        }
    }

    /**
     * Checks, before any work, that each of {@code files} could be written by {@link #write}:
     * creates its folder, and refuses a path that is a folder, a folder that is not writable, and
     * an existing file that is not writable.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static void checkWritable(Path... files) {
        for (Path f : files) {
            if (f == null) continue;
            Path abs = f.toAbsolutePath();
            if (Files.isDirectory(abs)) throw new IllegalArgumentException("cannot write " + f + ": it is a folder");
            Path dir = abs.getParent();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot write " + f + ": cannot create its folder " + dir + " (" + e.getMessage() + ")", e);
            }
            if (!Files.isWritable(dir)) throw new IllegalArgumentException("cannot write " + f + ": its folder " + dir + " is not writable");
            if (Files.exists(abs) && !Files.isWritable(abs)) throw new IllegalArgumentException("cannot write " + f + ": the file is not writable");
        }
    }
}
