package dev.warthog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.warthog.cli.CliTest.*;
import static org.junit.jupiter.api.Assertions.*;

/** train --algorithm gd|agd --threads N: synchronous parallel GD/AGD, the same weights as 1 thread. */
class ParallelGdCliTest {
    @TempDir Path dir;

    @Test
    void agdOnTwoThreadsWithTheTreeAggregationGivesTheOneThreadWeightsHash() throws Exception {
        String[] base = {"train", "--data", HEART, "--loss", "logistic", "--l2", "1e-3", "--algorithm", "agd",
                "--epochs", "300", "--tolerance", "1e-9", "--quiet"};
        Path one = dir.resolve("one.json"), two = dir.resolve("two.json");
        Run a = cli(concat(base, "--threads", "1", "--json", one.toString()));
        assertEquals(0, a.status(), a.err());
        Run b = cli(concat(base, "--threads", "2", "--aggregate", "tree", "--json", two.toString()));
        assertEquals(0, b.status(), b.err());
        String j1 = Files.readString(one), j2 = Files.readString(two);
        assertEquals(hash(j1), hash(j2));
        assertTrue(j2.contains("\"threads\": 2"), j2);
        assertEquals(0.355646692412, jsonNumber(j2, "objective"), 0.355646692412 * 1e-9);
    }

    @Test
    void aSlowdownNamingAMissingWorkerFailsWithAClearMessage() {
        Run r = cli("train", "--data", HEART, "--algorithm", "gd", "--threads", "2", "--slowdown", "2:3", "--quiet");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("worker 2"), r.err());
    }
}
