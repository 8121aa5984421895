package dev.warthog.testutil;

import dev.warthog.data.Dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only data: a deliberately tiny, obviously-correct LIBSVM reader (String.split, no
 * error recovery) so solver tests do not depend on the production reader.
 */
public final class TestData {
    private TestData() {}

    /** The shared test-data directory: {@code -Dwarthog.shared} or {@code ../shared}, plus "/data". */
    public static Path dataDir() {
        return Path.of(System.getProperty("warthog.shared", "../shared"), "data");
    }

    /** heart_scale (270 x 13, labels +1/-1) as sparse CSR. */
    public static Dataset heartScale() {
        return readLibsvm(dataDir().resolve("heart_scale"), 13);
    }

    /** heart_scale as a dense dataset. */
    public static Dataset heartScaleDense() {
        return heartScale().toDense();
    }

    /** Reads "label idx:val idx:val ..." lines (1-based, increasing indices) into CSR. */
    public static Dataset readLibsvm(Path file, int cols) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Double> labels = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        List<Double> val = new ArrayList<>();
        List<Integer> ptr = new ArrayList<>();
        ptr.add(0);
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty()) continue;
            String[] parts = t.split("\\s+");
            labels.add(Double.parseDouble(parts[0]));
            for (int k = 1; k < parts.length; k++) {
                String[] iv = parts[k].split(":");
                int j = Integer.parseInt(iv[0]) - 1;
                double v = Double.parseDouble(iv[1]);
                if (v == 0) continue;
                idx.add(j);
                val.add(v);
            }
            ptr.add(idx.size());
        }
        int n = labels.size();
        return Dataset.sparse(n, cols,
                ptr.stream().mapToInt(Integer::intValue).toArray(),
                idx.stream().mapToInt(Integer::intValue).toArray(),
                val.stream().mapToDouble(Double::doubleValue).toArray(),
                labels.stream().mapToDouble(Double::doubleValue).toArray(),
                file.getFileName().toString());
    }
}
