package dev.warthog.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;

/**
 * Writes files so that nothing is ever half-written: into a temporary sibling, forced to the
 * disk, then a move over the target (atomic where the file system allows). A failed write
 * leaves the old file, if any, as it was, and no temporary file behind (a process killed
 * mid-write can leave a hidden {@code .NAME.*.tmp}, never a partial NAME). {@link #checkWritable} lets a command
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

    /**
     * Writes {@code file} from {@code content}, creating its folder if needed. The temporary
     * file is created like any new file (the umask applies, not the 0600 of a temp file), takes
     * the permissions of the file it replaces, and is forced to the disk before the move. An
     * existing symbolic link is written through: its target is replaced, the link stays.
     */
    public static void writeBytes(Path file, Bytes content) {
        Path abs = file.toAbsolutePath();
        Path tmp = null;
        try {
            abs = linkTarget(abs);
            Path dir = abs.getParent();
            Files.createDirectories(dir);
            // a unique name: two writers of one target never share a temporary file
            tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            if (Files.exists(abs) && Files.getFileStore(abs).supportsFileAttributeView(PosixFileAttributeView.class))
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(abs));
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

    private static final SecureRandom RANDOM = new SecureRandom();

    /** The file a chain of symbolic links ends at, existing or not (a dangling link is written through, as a plain write would). */
    private static Path linkTarget(Path p) throws IOException {
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) throw new IOException("too many levels of symbolic links");
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    /**
     * Checks, before any work, that each of {@code files} could be written by {@link #write}:
     * creates its folder, and refuses a path that is a folder and a folder that is not writable
     * (an existing file is replaced by a rename, which needs only its folder to be writable).
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
        }
    }
}
