package dev.warthog.io;

import dev.warthog.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.warthog.io.LibsvmReaderTest.HEART;
import static dev.warthog.io.LibsvmReaderTest.assertSameData;
import static org.junit.jupiter.api.Assertions.*;

class CsvReaderTest {

    static Dataset parse(String text, CsvReader.Builder b) {
        return b.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.csv");
    }

    @Test
    void headerAutoDetectedLabelFirstByDefault() {
        Dataset d = parse("y,a,b\n1,0.5,2\n-1,3,-4e-1\n", CsvReader.builder());
        assertFalse(d.isSparse());
        assertEquals(2, d.rows());
        assertEquals(2, d.cols());
        assertArrayEquals(new double[] { 1, -1 }, d.labels());
        assertArrayEquals(new double[] { 0.5, 2, 3, -0.4 }, d.values());
        assertEquals("t.csv", d.source());
    }

    @Test
    void withoutHeader() {
        String text = "1,0.5,2\n-1,3,-4e-1\n";
        Dataset auto = parse(text, CsvReader.builder());
        Dataset absent = parse(text, CsvReader.builder().header(CsvReader.Header.ABSENT));
        assertSameData(auto, absent);
        assertEquals(2, auto.rows());
        // forcing a header drops the first line
        Dataset present = parse(text, CsvReader.builder().header(CsvReader.Header.PRESENT));
        assertEquals(1, present.rows());
        assertEquals(-1, present.label(0));
    }

    @Test
    void labelByNamePositionAndFromTheEnd() {
        String text = "a,\"the label\",b\n0.5,1,2\n3,-1,4\n";
        Dataset byName = parse(text, CsvReader.builder().labelColumn("the label"));
        Dataset byPos = parse(text, CsvReader.builder().labelColumn(1));
        Dataset fromEnd = parse(text, CsvReader.builder().labelColumn(-2));
        for (Dataset d : new Dataset[] { byName, byPos, fromEnd }) {
            assertArrayEquals(new double[] { 1, -1 }, d.labels());
            assertArrayEquals(new double[] { 0.5, 2, 3, 4 }, d.values());
        }
        Dataset last = parse(text, CsvReader.builder().labelColumn(-1));
        assertArrayEquals(new double[] { 2, 4 }, last.labels());
        assertArrayEquals(new double[] { 0.5, 1, 3, -1 }, last.values());
    }

    @Test
    void separatorsPaddingCrlfBlankLinesAndQuotes() {
        String text = "\"x \"\"1\"\"\" ; y\r\n\r\n 1 ; 2 \r\n\n3;4\r\n";
        Dataset d = parse(text, CsvReader.builder().separator(';').labelColumn("y"));
        assertArrayEquals(new double[] { 2, 4 }, d.labels());
        assertArrayEquals(new double[] { 1, 3 }, d.values());
        Dataset t = parse("a\tb\n1\t2\n", CsvReader.builder().separator('\t'));
        assertArrayEquals(new double[] { 1 }, t.labels());
        assertArrayEquals(new double[] { 2 }, t.values());
    }

    @Test
    void onlyALabelColumn() {
        Dataset d = parse("y\n1\n2\n", CsvReader.builder());
        assertEquals(0, d.cols());
        assertArrayEquals(new double[] { 1, 2 }, d.labels());
    }

    @Test
    void sameAsLibsvmForHeartScale(@TempDir Path dir) throws IOException {
        Dataset ref = LibsvmReader.readDense(HEART);
        StringBuilder sb = new StringBuilder("label");
        for (int j = 1; j <= ref.cols(); j++) sb.append(",f").append(j);
        sb.append('\n');
        for (int i = 0; i < ref.rows(); i++) {
            for (int j = 0; j < ref.cols(); j++) sb.append(j == 0 ? "" : ",").append(ref.values()[i * ref.cols() + j]);
            sb.append(',').append(ref.label(i)).append('\n');     // label last here
        }
        Path f = dir.resolve("heart.csv");
        Files.writeString(f, sb.toString().replaceFirst("label,(.*)\n", "$1,label\n"));
        assertEquals(Format.CSV, Format.fromExtension(f));
        Dataset csv = CsvReader.builder().labelColumn("label").read(f);
        assertSameData(ref, csv);
        assertSameData(ref, CsvReader.builder().labelColumn(-1).bufferSize(5).read(f));
        Dataset firstAsLabel = DataFiles.read(f);    // default: label in column 0 (here f1)
        assertEquals(13, firstAsLabel.cols());
        assertEquals(ref.values()[0], firstAsLabel.label(0));
        assertEquals(ref.label(0), firstAsLabel.values()[12]);
        assertSameData(LibsvmReader.read(HEART), csv.toSparse());
    }

    @Test
    void everyBufferSize() {
        String text = "y,a,b\n1,0.5,2\n-1,3,-4e-1\n7,1e3,0.125";
        Dataset ref = parse(text, CsvReader.builder());
        assertEquals(3, ref.rows());
        for (int size = 2; size < text.length() + 2; size++) assertSameData(ref, parse(text, CsvReader.builder().bufferSize(size)));
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path missing = dir.resolve("gone.csv");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> DataFiles.read(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void formatFromExtension() {
        assertEquals(Format.CSV, Format.fromExtension(Path.of("a/b.CSV")));
        assertEquals(Format.CSV, Format.fromExtension(Path.of("b.csv.gz")));
        assertEquals(Format.LIBSVM, Format.fromExtension(Path.of("b.svm")));
        assertEquals(Format.LIBSVM, Format.fromExtension(Path.of("b.libsvm")));
        assertEquals(Format.LIBSVM, Format.fromExtension(Path.of("b.txt")));
        assertEquals(Format.LIBSVM, Format.fromExtension(Path.of("heart_scale")));
        assertEquals(Format.LIBSVM, Format.fromExtension(Path.of("a9a.t")));
    }
}
