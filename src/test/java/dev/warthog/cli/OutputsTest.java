package dev.warthog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.warthog.cli.CliTest.cli;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every command that writes files refuses an output it cannot write before its work: here one
 * of its files is an existing folder. The command exits with status 2 (bad arguments), names
 * the file, computes nothing (no line of results) and writes none of its other files.
 */
class OutputsTest {
    @TempDir Path dir;

    private static final String[] GEN = {"--gen", "dense-logistic", "--rows", "200", "--cols", "5", "--seed", "1"};

    private CliTest.Run refused(Path blocked, String... args) throws Exception {
        Files.createDirectories(blocked);
        CliTest.Run r = cli(args);
        assertEquals(2, r.status(), String.join(" ", args) + "\n" + r.out() + r.err());
        assertTrue(r.err().contains("cannot write " + blocked + ": it is a folder"), r.err());
        try (var files = Files.list(blocked.getParent())) {
            assertEquals(java.util.List.of(blocked), files.toList(), "nothing else was written");
        }
        return r;
    }

    private String[] with(String[] head, String... tail) {
        String[] a = new String[head.length + GEN.length + tail.length];
        System.arraycopy(head, 0, a, 0, head.length);
        System.arraycopy(GEN, 0, a, head.length, GEN.length);
        System.arraycopy(tail, 0, a, head.length + GEN.length, tail.length);
        return a;
    }

    @Test
    void trainRefusesAnUnwritableJsonBeforeTraining() throws Exception {
        Path f = dir.resolve("t/run.json");
        CliTest.Run r = refused(f, with(new String[] {"train", "--algorithm", "gd"}, "--json", f.toString(), "--save", dir.resolve("t/m.model").toString()));
        assertFalse(r.out().contains("objective"), r.out());
    }

    @Test
    void benchSpeedupRefusesAnUnwritablePlotBeforeAnyRun() throws Exception {
        Path p = dir.resolve("s/sp");
        CliTest.Run r = refused(Path.of(p + ".svg"), with(new String[] {"bench", "speedup", "--algorithm", "gd"}, "--threads", "1",
                "--out", p.toString()));
        assertFalse(r.out().contains("| threads |"), r.out());
    }

    @Test
    void benchThroughputRefusesAnUnwritableJsonBeforeAnyPair() throws Exception {
        Path f = dir.resolve("b/tp.json");
        CliTest.Run r = refused(f, with(new String[] {"bench", "throughput"}, "--run", "gd --threads 1", "--run", "gd --threads 1",
                "--json", f.toString()));
        assertFalse(r.err().contains("pair"), r.err());
    }

    @Test
    void experimentsRefuseAnUnwritableOutputBeforeTheirRuns() throws Exception {
        Path p = dir.resolve("r/rt");
        refused(Path.of(p + ".md"), "experiment", "runtime", "--out", p.toString());
        Path q = dir.resolve("a/ada");
        refused(Path.of(q + ".png"), "experiment", "adacomm", "--out", q.toString());
        Path w = dir.resolve("w/wp");
        refused(Path.of(w + "-fig7.svg"), "experiment", "wpsgd", "--out", w.toString());
    }

    @Test
    void compareGenAndPredictRefuseAnUnwritableOutput() throws Exception {
        Path c = dir.resolve("c/cmp");
        refused(Path.of(c + ".csv"), with(new String[] {"compare"}, "--run", "gd", "--out", c.toString()));
        Path g = dir.resolve("g/data.svm");
        refused(g, "gen", "--kind", "dense-logistic", "--out", g.toString());
        Path p = dir.resolve("p/pred.txt");
        // the output is checked before the model is read
        refused(p, "predict", "--model", dir.resolve("none.model").toString(), "--data", dir.resolve("none.svm").toString(),
                "--out", p.toString());
    }
}
