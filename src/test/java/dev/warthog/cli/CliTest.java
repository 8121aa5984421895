package dev.warthog.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class CliTest {
    static final String HEART = System.getProperty("warthog.shared", "../shared") + "/data/heart_scale";
    @TempDir Path dir;

    record Run(int status, String out, String err) {}

    static Run cli(String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int rc = Main.run(args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Run(rc, o.toString(), e.toString());
    }

    static double jsonNumber(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void lbfgsOnHeartScaleReachesTheReferenceOptimum() throws Exception {
        Path json = dir.resolve("out.json"), trace = dir.resolve("trace.csv"), model = dir.resolve("m.model");
        Run r = cli("train", "--data", HEART, "--loss", "logistic", "--l2", "1e-3", "--algorithm", "lbfgs",
                "--json", json.toString(), "--trace", trace.toString(), "--save", model.toString());
        assertEquals(0, r.status(), r.err());
        String j = Files.readString(json);
        assertEquals(0.355646692412, jsonNumber(j, "objective"), 0.355646692412 * 1e-9);
        assertEquals(0.8333, jsonNumber(j, "trainAccuracy"), 1e-4);
        assertEquals(270 * 8 + 3378 * 12 + 271 * 4, jsonNumber(j, "dataBytes"), 0, "bytes of heart_scale's 3378 non-zeros");
        for (String k : new String[] {"\"algorithm\": \"lbfgs\"", "\"threads\": 1", "\"epochs\"", "\"trainSeconds\"",
                "\"samplesPerSecond\"", "\"weightsHash\": \""}) assertTrue(j.contains(k), k + " in " + j);
        String csv = Files.readString(trace);
        assertTrue(csv.startsWith("epoch,seconds,objective,train_accuracy,test_accuracy\n0,"), csv);
        // the saved model predicts the original labels (+1/-1 here)
        Path pred = dir.resolve("pred.txt");
        Run p = cli("predict", "--model", model.toString(), "--data", HEART, "--out", pred.toString());
        assertEquals(0, p.status(), p.err());
        assertEquals(270, Files.readAllLines(pred).size());
        assertTrue(p.err().contains("accuracy 0.8333"), p.err());
    }

    @Test
    void sameSeedSameWeightsHash() throws Exception {
        Path a = dir.resolve("a.json"), b = dir.resolve("b.json"), c = dir.resolve("c.json");
        String[] base = {"train", "--gen", "text", "--rows", "2000", "--cols", "500", "--algorithm", "sgd", "--epochs", "2", "--l2", "1e-3", "--quiet"};
        assertEquals(0, cli(concat(base, "--seed", "3", "--json", a.toString())).status());
        assertEquals(0, cli(concat(base, "--seed", "3", "--json", b.toString())).status());
        assertEquals(0, cli(concat(base, "--seed", "4", "--json", c.toString())).status());
        String ha = hash(Files.readString(a)), hb = hash(Files.readString(b)), hc = hash(Files.readString(c));
        assertEquals(ha, hb);
        assertNotEquals(ha, hc);
    }

    static String hash(String json) {
        Matcher m = Pattern.compile("\"weightsHash\": \"([0-9a-f]{64})\"").matcher(json);
        assertTrue(m.find());
        return m.group(1);
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "train --data HEART --loss logit | unknown loss 'logit'",
            "train --data HEART --algorithm newton | newton",
            "train --data HEART --epochs 0 | epochs must be >= 1",
            "train --data HEART --l2 -1 | l2 must be finite and >= 0",
            "train --data HEART --l2 abc | abc",
            "train | give exactly one of --data FILE or --gen KIND",
            "train --data MISSING | no such file",
            "train --gen nope | unknown generator 'nope'",
            "train --data HEART --frobnicate | Unknown option: '--frobnicate'",
            "gen --kind analog | Missing required option: '--out=FILE'",
    })
    void badArgumentsGiveOneClearLineAndStatus2(String cmdline, String expected) {
        String[] args = cmdline.trim().replace("HEART", HEART).replace("MISSING", dir.resolve("nope.svm").toString()).split(" ");
        Run r = cli(args);
        assertEquals(2, r.status(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("warthog: ") && first.contains(expected), "stderr was: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug: " + r.err());
    }

    @Test
    void malformedFileNamesFileAndLine() throws Exception {
        Path bad = dir.resolve("bad.svm");
        Files.writeString(bad, "+1 1:0.5 2:1\n-1 3:x\n");
        Run r = cli("train", "--data", bad.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("warthog: " + bad + ":2:"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        Run d = cli("train", "--data", bad.toString(), "--debug");
        assertTrue(d.err().contains("\tat "), "--debug shows the trace");
    }

    @Test
    void compareWritesCsvPlotsAndATimeToTargetTable() throws Exception {
        Path prefix = dir.resolve("cmp");
        Run r = cli("compare", "--data", HEART, "--l2", "1e-3", "--run", "saga", "--run", "sgd", "--epochs", "100", "--out", prefix.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("F* = 0.35564669241"), r.out());
        // SAGA converges linearly: it reaches 1e-9 within 100 epochs; SGD stalls at its noise floor
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("saga") && l.trim().matches(".* s +[0-9.]+ s +[0-9.]+ s")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("sgd") && l.trim().endsWith("-")), r.out());
        java.util.List<String> csv = Files.readAllLines(dir.resolve("cmp.csv"));
        assertEquals("algorithm,threads,epoch,seconds,objective,rel_subopt", csv.get(0));
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("sgd,1,100,")));
        byte[] png = Files.readAllBytes(dir.resolve("cmp.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        assertTrue(Files.readString(dir.resolve("cmp.svg")).contains("<svg"));
        assertEquals(2, cli("compare", "--data", HEART, "--run", "saga@x", "--out", prefix.toString()).status());
    }

    @Test
    void genWritesAReadableFile() throws Exception {
        Path f = dir.resolve("a.svm");
        Run r = cli("gen", "--kind", "analog", "--rows", "1000", "--cols", "300", "--out", f.toString());
        assertEquals(0, r.status(), r.err());
        Run t = cli("train", "--data", f.toString(), "--algorithm", "agd", "--epochs", "50", "--l2", "1e-2");
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().startsWith("agd: 50 epochs"), t.out());
    }
}
