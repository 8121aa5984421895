package dev.warthog.io;

import dev.warthog.data.Dataset;
import dev.warthog.data.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class LibsvmReaderTest {
    static final Path HEART = Path.of(System.getProperty("warthog.shared", "../shared"), "data", "heart_scale");

    static Dataset parse(String text) {
        return parse(text, LibsvmReader.builder());
    }

    static Dataset parse(String text, LibsvmReader.Builder b) {
        return b.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.svm");
    }

    /** Same shape, labels, structure and bit-identical values. */
    static void assertSameData(Dataset a, Dataset b) {
        assertEquals(a.rows(), b.rows(), "rows");
        assertEquals(a.cols(), b.cols(), "cols");
        assertEquals(a.isSparse(), b.isSparse(), "storage");
        assertEquals(a.nnz(), b.nnz(), "nnz");
        for (int i = 0; i < a.rows(); i++) {
            assertEquals(Double.doubleToRawLongBits(a.label(i)), Double.doubleToRawLongBits(b.label(i)), "label " + i);
            Row ra = a.row(i), rb = b.row(i);
            assertEquals(ra.nnz, rb.nnz, "row " + i);
            for (int k = 0; k < ra.nnz; k++) {
                assertEquals(ra.column(k), rb.column(k), "row " + i);
                assertEquals(Double.doubleToRawLongBits(ra.value(k)), Double.doubleToRawLongBits(rb.value(k)),
                        "row " + i + " col " + ra.column(k) + ": " + ra.value(k) + " vs " + rb.value(k));
            }
        }
    }

    @Test
    void heartScale() throws IOException {
        Dataset d = LibsvmReader.read(HEART);
        assertTrue(d.isSparse());
        assertEquals(270, d.rows());
        assertEquals(13, d.cols());
        assertEquals(HEART.toString(), d.source());
        // first line: +1 1:0.708333 2:1 3:1 4:-0.320755 5:-0.105023 6:-1 7:1 8:-0.419847 9:-1 10:-0.225806 12:1 13:-1
        Row r = d.row(0);
        assertEquals(1.0, r.label);
        assertEquals(12, r.nnz);
        int[] cols = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12 };
        double[] vals = { 0.708333, 1, 1, -0.320755, -0.105023, -1, 1, -0.419847, -1, -0.225806, 1, -1 };
        for (int k = 0; k < cols.length; k++) {
            assertEquals(cols[k], r.column(k));
            assertEquals(vals[k], r.value(k));
        }
        assertEquals(-1.0, d.label(1));
        assertEquals(0.0687023, d.toDense().values()[2 * 13 + 7]);
        // stored entries = "idx:val" tokens in the file, labels = first tokens
        long tokens = 0, pos = 0;
        for (String line : Files.readAllLines(HEART)) {
            String[] t = line.trim().split("\\s+");
            tokens += t.length - 1;
            if (Double.parseDouble(t[0]) > 0) pos++;
        }
        assertEquals(tokens, d.nnz());
        long posRead = 0;
        for (double y : d.labels()) if (y > 0) posRead++;
        assertEquals(pos, posRead);
        assertEquals(12L * d.nnz() + 12L * d.rows() + 4, d.bytes());
    }

    @Test
    void everyBufferSizeGivesTheSameData() {
        Dataset ref = LibsvmReader.read(HEART);
        for (int size = 2; size <= 300; size += (size < 40 ? 1 : 37)) {
            Dataset d = LibsvmReader.builder().bufferSize(size).read(HEART);
            assertSameData(ref, d);
        }
    }

    @Test
    void linesStraddlingBlocksWithoutFinalNewline() {
        String text = "1 1:0.5 3:0.25\n-1 2:1e-5 4:12345.678901234567\n+1 1:-0 10:3";
        Dataset ref = parse(text);
        assertEquals(3, ref.rows());
        assertEquals(10, ref.cols());
        for (int size = 2; size < text.length() + 3; size++) assertSameData(ref, parse(text, LibsvmReader.builder().bufferSize(size)));
        assertEquals(1e-5, ref.row(1).value(0));
        assertEquals(12345.678901234567, ref.row(1).value(1));
        assertEquals(Long.MIN_VALUE, Double.doubleToRawLongBits(ref.row(2).value(0)), "-0 stays negative zero");
        assertEquals(9, ref.row(2).column(1));
    }

    @Test
    void qidCommentsBlankLinesTabsAndCrlf() {
        String text = "# header comment\r\n"
                + "\r\n"
                + "3 qid:7 1:1 2:2 # trailing comment\r\n"
                + "  \t  \n"
                + "-2\tqid:8\t2:0.5\t\t5:-1.5e2#c\n"
                + "# another\n"
                + "0.5\n"                     // a row with no features
                + "1 4:0 # explicit zero is stored\n";
        Dataset d = parse(text);
        assertEquals(4, d.rows());
        assertEquals(5, d.cols());
        assertArrayEquals(new double[] { 3, -2, 0.5, 1 }, d.labels());
        assertArrayEquals(new int[] { 0, 2, 4, 4, 5 }, d.rowPtr());
        assertArrayEquals(new int[] { 0, 1, 1, 4, 3 }, d.indices());
        assertArrayEquals(new double[] { 1, 2, 0.5, -150, 0 }, d.values());
    }

    @Test
    void numberSyntaxes() {
        Dataset d = parse("+1 1:.5 2:5. 3:+2 4:-3E+2 5:1e-5 6:0.000123 7:1234567890123456789012 8:4.9E-324 9:1.7976931348623157E308\n");
        double[] expect = { .5, 5, 2, -300, 1e-5, 0.000123, 1234567890123456789012.0, 4.9E-324, Double.MAX_VALUE };
        assertArrayEquals(expect, d.values());
        assertEquals(1.0, d.label(0));
    }

    @Test
    void featuresOption() {
        Dataset d = parse("1 2:1\n-1 3:1\n", LibsvmReader.builder().features(10));
        assertEquals(10, d.cols());
        assertEquals(3, parse("1 2:1\n-1 3:1\n").cols());
    }

    @Test
    void biasAppendsAConstantLastColumn() {
        String text = "1 2:1\n-1 3:1 # c\n2\n";
        Dataset d = parse(text, LibsvmReader.builder().bias(1.5));
        assertEquals(4, d.cols());
        assertArrayEquals(new int[] { 1, 3, 2, 3, 3 }, d.indices());
        assertArrayEquals(new double[] { 1, 1.5, 1, 1.5, 1.5 }, d.values());
        assertSameData(parse(text).withBias(1.5), d);
        Dataset e = parse(text, LibsvmReader.builder().features(7).bias(1));
        assertEquals(8, e.cols());
        assertEquals(7, e.row(0).column(1));
        Dataset dense = parse(text, LibsvmReader.builder().bias(1.5).dense(true));
        assertSameData(d.toDense(), dense);
    }

    @Test
    void denseEqualsSparse() {
        Dataset sparse = LibsvmReader.read(HEART);
        Dataset dense = LibsvmReader.readDense(HEART);
        assertFalse(dense.isSparse());
        assertSameData(sparse.toDense(), dense);
        assertSameData(sparse, dense.toSparse());
        assertSameData(dense, LibsvmReader.builder().dense(true).features(13).bufferSize(64).read(HEART));
    }

    @Test
    void gzipAndDataFiles(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("heart.svm.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(HEART));
        }
        assertEquals(Format.LIBSVM, Format.fromExtension(gz));
        assertSameData(LibsvmReader.read(HEART), DataFiles.read(gz));
    }

    @Test
    void missingFileNamesIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.svm");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> LibsvmReader.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        UncheckedIOException e2 = assertThrows(UncheckedIOException.class, () -> LibsvmReader.read(dir));
        assertTrue(e2.getMessage().contains(dir.toString()), e2.getMessage());
    }

    @Test
    void veryLongLineGrowsTheBuffer() {
        StringBuilder sb = new StringBuilder("1");
        for (int j = 1; j <= 5000; j++) sb.append(' ').append(j).append(':').append(j * 0.25);
        sb.append("\n-1 1:1\n");
        Dataset d = parse(sb.toString(), LibsvmReader.builder().bufferSize(16));
        assertEquals(5000, d.cols());
        assertEquals(5001, d.nnz());
        assertEquals(1250.0, d.row(0).value(4999));
        assertEquals(List.of(1.0, -1.0), List.of(d.label(0), d.label(1)));
    }

    @Test
    void bothReadersRefuseABlockSizeBelowTwo() {
        for (int bad : new int[] {1, 0, -5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LibsvmReader.builder().bufferSize(bad));
            assertEquals("buffer size must be >= 2, got " + bad, e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> CsvReader.builder().bufferSize(bad));
            assertEquals("buffer size must be >= 2, got " + bad, e.getMessage());
        }
    }
}
