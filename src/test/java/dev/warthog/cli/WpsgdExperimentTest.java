package dev.warthog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class WpsgdExperimentTest {
    @TempDir Path dir;

    @Test
    void writesTableCsvPlotsAndJson() throws Exception {
        Path prefix = dir.resolve("wp"), json = dir.resolve("wp.json");
        CliTest.Run r = CliTest.cli("experiment", "wpsgd", "--rows", "2000", "--test-rows", "500", "--cols", "20",
                "--updates", "20000", "--checkpoints", "4", "--threads", "2", "--step", "1e-3",
                "--out", prefix.toString(), "--json", json.toString());
        assertEquals(0, r.status(), r.err());
        for (String f : new String[] {"wp.md", "wp.csv", "wp-fig6.png", "wp-fig6.svg", "wp-fig7.png", "wp-fig7.svg"})
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        String j = Files.readString(json);
        for (String k : new String[] {"\"config\"", "\"fig6\"", "\"fig7\"", "\"sequential\"", "\"simuparallel\"", "\"wpsgd\"",
                "\"wpsgd-r\"", "\"average-directly\"", "\"finalErrorRate\"", "\"updatesToTarget\"", "\"secondsToTarget\"",
                "\"targetError\""}) assertTrue(j.contains(k), k + " in " + j);
        String csv = Files.readString(dir.resolve("wp.csv"));
        assertTrue(csv.startsWith("scenario,method,updates,seconds,test_error\n"), csv);
        // 5 checkpoints (0, 5000, ..., 20000) for 5 methods in 2 scenarios
        assertEquals(1 + 2 * 5 * 5, csv.lines().count());
        assertTrue(csv.contains("fig7,average-directly,20000,"), csv);
        assertTrue(r.out().contains("| fig6 | WP-SGD, eq. (6) |"), r.out());
        // sequential SGD is its own target: it reaches it
        assertTrue(j.matches("(?s).*\"sequential\": \\{\\s*\"finalErrorRate\": [0-9.eE-]+,\\s*\"updatesToTarget\": \\d+.*"), j);
    }

    @Test
    void badArgumentsAreRejected() {
        CliTest.Run r = CliTest.cli("experiment", "wpsgd", "--workers", "2", "--out", dir.resolve("x").toString());
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("--workers must be >= 3"), r.err());
    }
}
