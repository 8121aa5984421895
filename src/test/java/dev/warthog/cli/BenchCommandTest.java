package dev.warthog.cli;

import dev.warthog.solver.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    private static Result result(int threads, int epochs, Map<String, Object> extras) {
        return new Result("x", null, new double[0], null, 1.0, epochs, 0, threads, extras);
    }

    @Test
    void medianSpeedupAndTheTimeSplitPerIteration() {
        assertEquals(2.0, BenchCommand.median(new double[]{3, 1, 2}));
        assertEquals(2.5, BenchCommand.median(new double[]{4, 1, 3, 2}), "even count: mean of the middle two");
        assertEquals(1, BenchCommand.medianIndex(new double[]{9, 2.4, 1}), "the run closest to the median");
        // base 2 threads at 4 s, 4 threads at 1.6 s: speedup 2 x 4/1.6 = 5 against the ideal 4
        Result sync = result(4, 3, Map.of("iterations", 10, "computeSeconds", 0.5, "barrierSeconds", 0.1, "aggregateSeconds", 0.2));
        Result async = result(2, 4, Map.of("workerComputeSeconds", new double[]{1.0, 3.0}, "workerBarrierSeconds", new double[]{0.4, 0.0}));
        List<BenchCommand.Row> rows = BenchCommand.rows(List.of(2, 4), List.of(new double[]{4, 5, 3}, new double[]{1.6}), List.of(async, sync));
        assertEquals(2.0, rows.get(0).speedup(), 0.0, "the base count's speedup is the count itself");
        assertEquals(1.0, rows.get(0).efficiency(), 0.0);
        assertEquals(5.0, rows.get(1).speedup(), 1e-12);
        assertEquals(1.25, rows.get(1).efficiency(), 1e-12);
        assertEquals(10, rows.get(1).iterations());
        assertEquals(50.0, rows.get(1).computeMs(), 1e-9);
        assertEquals(10.0, rows.get(1).barrierMs(), 1e-9);
        assertEquals(20.0, rows.get(1).aggregateMs(), 1e-9);
        // no "iterations": the epochs; per-thread arrays: their mean; no aggregation: NaN, printed '-'
        assertEquals(4, rows.get(0).iterations());
        assertEquals(500.0, rows.get(0).computeMs(), 1e-9);
        assertEquals(50.0, rows.get(0).barrierMs(), 1e-9);
        assertTrue(Double.isNaN(rows.get(0).aggregateMs()));
        String table = BenchCommand.table(rows, 2);
        assertTrue(table.contains("| 2 | 4.0000 | 3.0000 | 5.0000 | 2.000 | 2 | 1.000 | 4 | 500.0000 | 50.0000 | - |"), table);
        assertTrue(table.contains("2 x T(2)/T(t)"), table);
    }

    @Test
    void throughputAlternatesWithTheReferenceAndDividesByItsNeighbours() throws Exception {
        Path prefix = dir.resolve("tp/alt"), json = dir.resolve("tp.json");
        String[] a = {"bench", "throughput", "--gen", "analog", "--rows", "400", "--cols", "300", "--seed", "3", "--l2", "1e-3",
                "--run", "hogwild --threads 2 --epochs 2 --step 0.1", "--run", "sgd --epochs 2 --step 0.1",
                "--run", "local-sgd --threads 2 --tau 4 --batch 2 --epochs 2 --step 0.1", "--pairs", "2", "--no-warmup",
                "--out", prefix.toString(), "--json", json.toString()};
        CliTest.Run r = cli(a);
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().filter(l -> l.startsWith("| ")).toList();
        assertEquals(4, lines.size(), r.out());
        assertTrue(lines.get(1).startsWith("| hogwild --threads 2 --epochs 2 --step 0.1 (reference) | 5 |"), lines.get(1));
        assertTrue(lines.get(2).startsWith("| sgd --epochs 2 --step 0.1 | 2 |"), lines.get(2));
        assertTrue(lines.get(3).startsWith("| local-sgd --threads 2 --tau 4 --batch 2 --epochs 2 --step 0.1 | 2 |"), lines.get(3));
        // the CSV holds every run in order: ref, sgd, ref, local-sgd, ref, sgd, ref, local-sgd, ref
        List<String> csv = Files.readAllLines(Path.of(prefix + ".csv"));
        assertEquals(1 + 9, csv.size(), String.join("\n", csv));
        double[] rate = new double[9], ratio = new double[9];
        for (int i = 0; i < 9; i++) {
            String line = csv.get(1 + i);
            assertTrue(line.startsWith(i + ",\"" + (i % 2 == 0 ? "hogwild" : i % 4 == 1 ? "sgd" : "local-sgd")), line);
            String[] f = line.substring(line.lastIndexOf('"') + 2).split(",");
            assertEquals(800, Long.parseLong(f[1]), "2 epochs of 400 samples: " + line);
            rate[i] = Double.parseDouble(f[2]);
            ratio[i] = Double.parseDouble(f[3]);
            assertEquals(800 / Double.parseDouble(f[0]), rate[i], 0.05 * rate[i] + 1, line);
        }
        for (int i = 0; i < 9; i++) {
            double want = i % 2 == 0 ? 1 : rate[i] / ((rate[i - 1] + rate[i + 1]) / 2);
            assertEquals(want, ratio[i], 1e-3 * want, "run " + i);
        }
        assertTrue(Files.readString(Path.of(prefix + ".md")).contains("| setting | runs |"));
        String j = Files.readString(json);
        assertTrue(j.contains("\"medianRatio\""), j);
        assertEquals(2, CliTest.jsonNumber(j, "pairs"), 0.0);
    }

    @Test
    void toleranceZeroRunsEveryIterationOfGd() throws Exception {
        // bench speedup: 30 iterations at tolerance 0, fewer when a loose tolerance stops the run
        CliTest.Run r = cli(args("--algorithm", "gd", "--epochs", "30", "--tolerance", "0", "--threads", "1", "--repeat", "1", "--no-warmup"));
        assertEquals(0, r.status(), r.err());
        assertEquals("30", tableRows(r.out()).get(0)[7], r.out());
        r = cli(args("--algorithm", "gd", "--epochs", "30", "--tolerance", "0.5", "--threads", "1", "--repeat", "1", "--no-warmup"));
        assertEquals(0, r.status(), r.err());
        assertTrue(Integer.parseInt(tableRows(r.out()).get(0)[7]) < 30, r.out());
        // bench throughput: 31 gradient evaluations of 300 rows per run at tolerance 0
        Path prefix = dir.resolve("tp/tol");
        r = cli("bench", "throughput", "--gen", "dense-logistic", "--rows", "300", "--cols", "10", "--l2", "1e-3", "--seed", "3",
                "--run", "gd --threads 1 --epochs 30 --tolerance 0", "--run", "gd --threads 2 --epochs 30 --tolerance 0.5",
                "--pairs", "1", "--no-warmup", "--out", prefix.toString());
        assertEquals(0, r.status(), r.err());
        List<String> csv = Files.readAllLines(Path.of(prefix + ".csv"));
        assertEquals(1 + 3, csv.size(), String.join("\n", csv));
        long[] samples = new long[3];
        for (int i = 0; i < 3; i++) {
            String line = csv.get(1 + i);
            samples[i] = Long.parseLong(line.substring(line.lastIndexOf('"') + 2).split(",")[1]);
        }
        assertEquals(31 * 300, samples[0], csv.get(1));
        assertEquals(31 * 300, samples[2], csv.get(3));
        assertTrue(samples[1] < 31 * 300, csv.get(2));
    }

    @Test
    void throughputRejectsBadSettingsBeforeAnyRun() {
        CliTest.Run r = cli("bench", "throughput", "--gen", "analog", "--rows", "100", "--cols", "50",
                "--run", "hogwild --threads 2 --tua 4", "--run", "sgd");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("--run 'hogwild --threads 2 --tua 4'") && r.err().contains("--tua"), r.err());
        r = cli("bench", "throughput", "--gen", "analog", "--rows", "100", "--cols", "50", "--run", "hogwild");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("at least two settings"), r.err());
        r = cli("bench", "throughput", "--gen", "analog", "--rows", "100", "--cols", "50", "--run", "hogwild", "--run", "sgd", "--pairs", "0");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("--pairs must be >= 1"), r.err());
        r = cli("bench", "throughput", "--gen", "analog", "--rows", "100", "--cols", "50", "--run", "hogwild", "--run", "nope");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("nope"), r.err());
        // a solver's own argument error names the setting, and comes before any run (no warm-up, no pair)
        Path prefix = dir.resolve("bad/never");
        r = cli("bench", "throughput", "--gen", "analog", "--rows", "100", "--cols", "50", "--run", "sgd --epochs 1",
                "--run", "hogwild --threads 2 --epochs 0", "--out", prefix.toString());
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("--run 'hogwild --threads 2 --epochs 0'") && r.err().contains("epochs"), r.err());
        assertFalse(r.err().contains("bench throughput: pair"), r.err());
        assertFalse(Files.exists(Path.of(prefix + ".csv")));
    }

    @Test
    void quartilesInterpolateBetweenOrderStatistics() {
        assertArrayEquals(new double[] {1.75, 2.5, 3.25}, BenchCommand.quartiles(new double[] {4, 1, 3, 2}), 1e-12);
        assertArrayEquals(new double[] {7, 7, 7}, BenchCommand.quartiles(new double[] {7}), 0);
    }
}
