package dev.warthog.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @TempDir Path dir;

    private List<Path> listing(Path d) throws IOException {
        try (var s = Files.list(d)) { return s.sorted().toList(); }
    }

    @Test
    void writesIntoNewFoldersAndLeavesOnlyTheTarget() throws IOException {
        Path f = dir.resolve("a/b/out.txt");
        AtomicFiles.write(f, w -> w.write("héllo\n"));
        assertEquals("héllo\n", Files.readString(f));
        assertEquals(List.of(f), listing(f.getParent()));
        AtomicFiles.writeBytes(f, out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals(List.of(f), listing(f.getParent()));
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path f = dir.resolve("keep.txt");
        Files.writeString(f, "old");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, w -> {
            w.write("half of the new content");
            w.flush();
            throw new IOException("disk full");
        }));
        assertEquals("cannot write " + f + ": disk full", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(List.of(f), listing(dir));
    }

    @Test
    void checkWritableRefusesAFolderAndCreatesMissingFolders() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("x.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AtomicFiles.checkWritable(folder));
        assertEquals("cannot write " + folder + ": it is a folder", e.getMessage());
        Path deep = dir.resolve("n/m/f.csv");
        AtomicFiles.checkWritable(null, deep);
        assertTrue(Files.isDirectory(deep.getParent()));
        assertFalse(Files.exists(deep), "only checked, not created");
        // a parent that is a file cannot become a folder
        Path file = Files.writeString(dir.resolve("plain"), "x");
        e = assertThrows(IllegalArgumentException.class, () -> AtomicFiles.checkWritable(file.resolve("f.csv")));
        assertTrue(e.getMessage().startsWith("cannot write " + file.resolve("f.csv") + ": cannot create its folder"), e.getMessage());
    }

    @Test
    void aNewFileGetsTheUsualPermissionsAndAReplacedFileKeepsItsOwn() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");   // what the umask gives a new file
        Path f = dir.resolve("new.txt");
        AtomicFiles.write(f, w -> w.write("y"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f), "not a temp file's 0600");
        var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(f, mode);
        AtomicFiles.write(f, w -> w.write("z"));
        assertEquals("z", Files.readString(f));
        assertEquals(mode, Files.getPosixFilePermissions(f));
    }

    @Test
    void aSymbolicLinkIsWrittenThrough() throws IOException {
        Path target = Files.writeString(dir.resolve("target.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), target);
        AtomicFiles.write(link, w -> w.write("new"));
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(link, target), listing(dir));
        // a dangling link, relative, is written through too: its target is created
        Path dangling = Files.createSymbolicLink(dir.resolve("later.csv"), Path.of("sub/made.csv"));
        AtomicFiles.write(dangling, w -> w.write("made"));
        assertTrue(Files.isSymbolicLink(dangling));
        assertEquals("made", Files.readString(dir.resolve("sub/made.csv")));
    }
}
