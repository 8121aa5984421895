package dev.warthog.model;

import dev.warthog.data.DataFormatException;
import dev.warthog.data.Dataset;
import dev.warthog.objective.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ModelTest {
    @TempDir Path dir;

    @Test
    void saveLoadIsExact() throws Exception {
        double[] w = {Math.PI, -1e-300, 0.1 + 0.2, 0, -0.0, 123456789.123456789};
        Model m = new Model(w, Loss.LOGISTIC, 0, 7);
        Path f = dir.resolve("m.model");
        m.save(f);
        Model back = Model.load(f);
        for (int j = 0; j < w.length; j++) assertEquals(Double.doubleToRawLongBits(w[j]), Double.doubleToRawLongBits(back.weights()[j]));
        Dataset d = Dataset.dense(2, 6, new double[] {1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0}, new double[] {7, 0}, "d");
        assertArrayEquals(new double[] {7, 0}, back.predict(d), 0);
        try (var files = Files.list(dir)) { assertEquals(java.util.List.of(f), files.toList(), "no temporary file left"); }
    }

    @Test
    void truncatedModelNamesFileAndLine() throws Exception {
        Path f = dir.resolve("bad.model");
        Files.writeString(f, "warthog-model 1\nloss squared\ndim 3\n0.5\nabc\n");
        var e = assertThrows(DataFormatException.class, () -> Model.load(f));
        assertEquals(f + ":5:1: expected weight 2 of 3, found \"abc\"", e.getMessage());
    }
}
