package dev.warthog.io;

import dev.warthog.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static dev.warthog.io.LibsvmReaderTest.HEART;
import static dev.warthog.io.LibsvmReaderTest.assertSameData;
import static org.junit.jupiter.api.Assertions.*;

class LibsvmWriterTest {

    static String text(Dataset d, LibsvmWriter.Builder b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        b.write(d, out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** A sparse set whose values cover the awkward corners of double formatting. */
    static Dataset awkward(int rows, long seed) {
        double[] special = { 1e-5, 1.0E-7, 123456789012345680.0, 4.9E-324, Double.MIN_NORMAL, Double.MAX_VALUE,
                -0.0, 0.1, 1.0 / 3, 100, 1e15, 1e16, 9.999999999999999e14, 0.000123, 2.5e-6, 1e21, 1e22, 1e23 };
        SplittableRandom r = new SplittableRandom(seed);
        int[] ptr = new int[rows + 1];
        int[] idx = new int[rows * 6];
        double[] val = new double[rows * 6];
        double[] y = new double[rows];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            int col = 0;
            for (int t = 0; t < 6; t++) {
                col += 1 + r.nextInt(5);
                idx[k] = col;
                val[k++] = switch (r.nextInt(4)) {
                    case 0 -> special[r.nextInt(special.length)] * (r.nextBoolean() ? 1 : -1);
                    case 1 -> Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL) * (r.nextBoolean() ? 1 : -1);
                    case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
                    default -> r.nextGaussian();
                };
            }
            ptr[i + 1] = k;
            y[i] = switch (i % 5) { case 0 -> 1; case 1 -> -1; case 2 -> 0.25 * i; case 3 -> -0.0; default -> 3e15 + i; };
        }
        return Dataset.sparse(rows, 6 * 5 + 1, ptr, java.util.Arrays.copyOf(idx, k), java.util.Arrays.copyOf(val, k), y, "awkward");
    }

    @Test
    void roundTripIsBitIdentical(@TempDir Path dir) {
        Dataset d = awkward(3000, 7);
        Path f = dir.resolve("rt.svm");
        LibsvmWriter.write(d, f);
        Dataset back = LibsvmReader.builder().features(d.cols()).read(f);
        assertSameData(d, back);
        // and again through small read buffers
        assertSameData(d, LibsvmReader.builder().features(d.cols()).bufferSize(33).read(f));
    }

    @Test
    void heartScaleRoundTrip(@TempDir Path dir) throws IOException {
        Dataset d = LibsvmReader.read(HEART);
        Path f = dir.resolve("heart.svm");
        LibsvmWriter.write(d, f);
        assertSameData(d, LibsvmReader.read(f));
        // same values, written without the '+' and trailing blank of the original
        String first = Files.readAllLines(f).get(0);
        assertEquals("1 1:0.708333 2:1 3:1 4:-0.320755 5:-0.105023 6:-1 7:1 8:-0.419847 9:-1 10:-0.225806 12:1 13:-1", first);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void denseSkipsZerosAndLabelsAreIntegers() throws IOException {
        Dataset d = Dataset.dense(2, 3, new double[] { 0, 1.5, 0, -2, 0, 1e-7 }, new double[] { 1, -1 }, "t");
        assertEquals("1 2:1.5\n-1 1:-2 3:1E-7\n", text(d, LibsvmWriter.builder()));
        Dataset back = LibsvmReader.builder().features(3).dense(true).read(
                new java.io.ByteArrayInputStream(text(d, LibsvmWriter.builder()).getBytes(StandardCharsets.US_ASCII)), "t");
        assertSameData(d, back);
    }

    @Test
    void formatsShortAndPlain() throws IOException {
        double[] v = { 1, 0.5, 100, 1234567, 1e14, 1e15, 1.5e-5, 1e-6, -0.0, 0.1 + 0.2 };
        String[] expect = { "1", "0.5", "100", "1234567", "100000000000000", "1E15", "0.000015", "1E-6", "-0", "0.30000000000000004" };
        Decimal dec = new Decimal();
        byte[] buf = new byte[64];
        for (int i = 0; i < v.length; i++) {
            int n = dec.format(v[i], 0, buf, 0);
            assertEquals(expect[i], new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        int n = dec.format(0.379104123, 6, buf, 0);
        assertEquals("0.379104", new String(buf, 0, n, StandardCharsets.US_ASCII));
        n = dec.format(9.9999996, 6, buf, 0);
        assertEquals("10", new String(buf, 0, n, StandardCharsets.US_ASCII));
    }

    @Test
    void significantDigitsMatchExactRounding() {
        Decimal dec = new Decimal();
        byte[] buf = new byte[64];
        SplittableRandom r = new SplittableRandom(11);
        Stream.Builder<double[]> cases = Stream.builder();
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 4) {
                case 0 -> r.nextDouble();
                case 1 -> Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL);
                case 2 -> (r.nextInt(2_000_000) + 0.5) / Math.pow(10, r.nextInt(8));  // many decimal ties
                default -> r.nextInt(100_000) / 1024.0;                                // exact binary ties
            };
            int sig = 1 + r.nextInt(17);
            int n = dec.format(v, sig, buf, 0);
            String s = new String(buf, 0, n, StandardCharsets.US_ASCII);
            double expect = new BigDecimal(v).round(new MathContext(sig, RoundingMode.HALF_EVEN)).doubleValue();
            assertEquals(expect, Double.parseDouble(s), () -> v + " to " + sig + " digits gave " + s);
            assertTrue(v == 0 || new BigDecimal(s).stripTrailingZeros().precision() <= sig, s);
        }
    }

    @Test
    void sixDigitsIsSmallerAndClose(@TempDir Path dir) throws IOException {
        Dataset d = awkward(500, 3);
        Path full = dir.resolve("full.svm"), six = dir.resolve("six.svm");
        LibsvmWriter.write(d, full);
        LibsvmWriter.builder().significantDigits(6).write(d, six);
        assertTrue(Files.size(six) < Files.size(full));
        Dataset back = LibsvmReader.builder().features(d.cols()).read(six);
        for (int k = 0; k < d.nnz(); k++) {
            double a = d.values()[k], b = back.values()[k];
            assertTrue(a == b || Math.abs(a - b) <= 5e-6 * Math.abs(a), a + " vs " + b);
        }
        assertArrayEquals(d.labels(), back.labels(), "labels are never rounded");
    }

    @Test
    void failedWriteLeavesTheOldFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("keep.svm");
        Files.writeString(f, "old\n");
        Dataset bad = Dataset.dense(1, 2, new double[] { 1, Double.NaN }, new double[] { 1 }, "bad");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LibsvmWriter.write(bad, f));
        assertTrue(e.getMessage().contains("row 0, column 1"), e.getMessage());
        assertEquals("old\n", Files.readString(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "temporary file removed");
        }
        // a folder that cannot be made (its parent is a file) is an I/O error naming the file
        Path under = f.resolve("x.svm");
        UncheckedIOException io = assertThrows(UncheckedIOException.class, () -> LibsvmWriter.write(Dataset.dense(1, 1, new double[] {1}, new double[] {1}, "ok"), under));
        assertTrue(io.getMessage().startsWith("cannot write " + under), io.getMessage());
    }

    @Test
    void parserAgreesWithTheJdk() {
        Decimal dec = new Decimal();
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < 200_000; i++) {
            String s = switch (i % 5) {
                case 0 -> Double.toString(Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL));
                case 1 -> Double.toString(r.nextDouble());
                case 2 -> String.format("%." + r.nextInt(1, 25) + "f", r.nextDouble() * 1000);
                case 3 -> (r.nextBoolean() ? "-" : "+") + r.nextLong(1, Long.MAX_VALUE) + "e" + r.nextInt(-340, 320);
                default -> "0.00" + r.nextLong(0, Long.MAX_VALUE) + r.nextInt(0, 1000);
            };
            byte[] b = (s + "\n").getBytes(StandardCharsets.US_ASCII);
            double v = dec.parse(b, 0);
            assertEquals(b.length - 1, dec.end, s);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(v), s);
        }
    }
}
