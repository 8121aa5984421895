package dev.warthog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.warthog.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.*;

class BenchCommandTest {
    @TempDir Path dir;

    private static final String[] DATA = {"--gen", "dense-logistic", "--rows", "300", "--cols", "10", "--l2", "1e-3", "--seed", "3"};

    private static String[] args(String... more) {
        String[] a = new String[DATA.length + more.length + 2];
        a[0] = "bench";
        a[1] = "speedup";
        System.arraycopy(DATA, 0, a, 2, DATA.length);
        System.arraycopy(more, 0, a, 2 + DATA.length, more.length);
        return a;
    }

    /** The markdown table's data rows (after the header and the |---| line). */
    private static List<String[]> tableRows(String text) {
        List<String> lines = text.lines().filter(l -> l.startsWith("| ")).toList();
        assertTrue(lines.size() >= 1 && lines.get(0).startsWith("| threads |"), text);
        return lines.subList(1, lines.size()).stream()
                .map(l -> l.substring(2, l.length() - 2).split(" \\| ")).toList();
    }

    @Test
    void hogwildAtOneAndTwoThreadsWritesTableCsvPlotAndJson() throws Exception {
        Path prefix = dir.resolve("sub/hog"), json = dir.resolve("hog.json");
        CliTest.Run r = cli(args("--algorithm", "hogwild", "--epochs", "2", "--threads", "2,1", "--repeat", "2",
                "--out", prefix.toString(), "--json", json.toString()));
        assertEquals(0, r.status(), r.err());
        List<String[]> rows = tableRows(r.out());
        assertEquals(2, rows.size(), r.out());
        assertEquals("1", rows.get(0)[0]);
        assertEquals("2", rows.get(1)[0]);
        assertEquals("1.000", rows.get(0)[4], "speedup at 1 thread is T(1)/T(1)");
        assertEquals("1.000", rows.get(0)[6], "efficiency at 1 thread");
        // Hogwild! reports per-thread compute and barrier arrays but no aggregation: '-'
        assertNotEquals("-", rows.get(1)[8], r.out());
        assertEquals("-", rows.get(1)[10], r.out());
        for (String ext : new String[]{".md", ".csv", ".png", ".svg"})
            assertTrue(Files.size(Path.of(prefix + ext)) > 0, ext);
        List<String> csv = Files.readAllLines(Path.of(prefix + ".csv"));
        assertEquals(1 + 2 * 2, csv.size(), "header and one line per timed run");
        assertTrue(csv.get(1).startsWith("hogwild,1,0,"), csv.get(1));
        assertEquals(2, tableRows(Files.readString(Path.of(prefix + ".md"))).size());
        String j = Files.readString(json);
        assertEquals(1.0, CliTest.jsonNumber(j, "speedup"), 0.0, "first run's speedup");
    }

    @Test
    void defaultCountsAreOneToMaxThreadsAndSpeedupAtOneIsExactlyOne() {
        CliTest.Run r = cli(args("--algorithm", "gd", "--epochs", "3", "--max-threads", "1", "--repeat", "1", "--no-warmup"));
        assertEquals(0, r.status(), r.err());
        List<String[]> rows = tableRows(r.out());
        assertEquals(1, rows.size(), r.out());
        assertEquals("1", rows.get(0)[0]);
        assertEquals("1.000", rows.get(0)[4]);
        assertEquals("3", rows.get(0)[7], "gd's iterations (its epochs)");
    }

    @Test
    void aSolverThatRejectsThreadsGivesAClearMessage() {
        CliTest.Run r = cli(args("--algorithm", "sgd", "--epochs", "1", "--threads", "1,2", "--repeat", "1"));
        assertEquals(Main.EXIT_USAGE, r.status(), r.out());
        assertTrue(r.err().contains("solver sgd rejects --threads 2"), r.err());
        assertTrue(r.err().contains("serial"), r.err());
        assertFalse(r.out().contains("| threads |"), "no work before the arguments are checked");
    }

    @Test
    void badThreadListsAndRepeatsAreRejectedNamingTheOption() {
        CliTest.Run r = cli(args("--algorithm", "hogwild", "--threads", "0,2"));
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("--threads"), r.err());
        r = cli(args("--algorithm", "hogwild", "--repeat", "0"));
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("--repeat"), r.err());
        r = cli("bench", "speedup", "--gen", "dense-logistic", "--algorithm", "nope", "--threads", "1");
        assertEquals(Main.EXIT_USAGE, r.status());
        assertTrue(r.err().contains("unknown solver 'nope'"), r.err());
    }
}
