package dev.warthog.io;

import dev.warthog.data.DataFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed LIBSVM inputs: each must fail with the exact line, column and a telling message. */
class LibsvmMalformedTest {

    /** text, features option (-1 = none), expected "line:col" (col 0 = whole line), message part. */
    static Stream<Arguments> corpus() {
        return Stream.of(
            Arguments.of("1 1:abc\n", -1, "1:5", "expected a numeric value for feature 1, found \"abc\""),
            Arguments.of("abc 1:1\n", -1, "1:1", "expected a numeric label, found \"abc\""),
            Arguments.of("+ 1:1\n", -1, "1:1", "expected a numeric label, found \"+\""),
            Arguments.of("1 0:1\n", -1, "1:3", "expected a feature index >= 1, found 0"),
            Arguments.of("1 -2:1\n", -1, "1:3", "expected a feature index >= 1, found \"-2\""),
            Arguments.of("1 1.5:1\n", -1, "1:3", "expected an integer feature index, found \"1.5\""),
            Arguments.of("1 3:1 2:1\n", -1, "1:7", "expected feature indices in increasing order, found 2 after 3"),
            Arguments.of("1 3:1 3:1\n", -1, "1:7", "increasing order, found 3 after 3"),
            Arguments.of("1 3\n", -1, "1:4", "expected ':' after feature index \"3\""),
            Arguments.of("1 3:\n", -1, "1:5", "expected a value after \"3:\""),
            Arguments.of("1 3: 4:1\n", -1, "1:5", "expected a value after \"3:\""),
            Arguments.of("1 1:nan\n", -1, "1:5", "expected a finite value for feature 1, found \"nan\""),
            Arguments.of("1 1:-Infinity\n", -1, "1:5", "expected a finite value for feature 1"),
            Arguments.of("1 2:1e999\n", -1, "1:5", "expected a finite value for feature 2, found \"1e999\""),
            Arguments.of("NaN 1:1\n", -1, "1:1", "expected a finite label, found \"NaN\""),
            Arguments.of("1:0.5 2:1\n", -1, "1:1", "expected a label before the first feature, found \"1:0.5\""),
            Arguments.of("", -1, "1:0", "expected at least one data row, found an empty file"),
            Arguments.of("# only a comment\n\n   \n", -1, "3:0", "expected at least one data row, found only blank or comment lines"),
            Arguments.of("1 6:1\n", 5, "1:3", "feature index 6 exceeds the given number of features 5"),
            Arguments.of("1 1:1\n2 2:1 x\n", -1, "2:7", "expected index:value, found \"x\""),
            Arguments.of("1 qid:x 1:1\n", -1, "1:7", "expected an integer query id after \"qid:\", found \"x\""),
            Arguments.of("1 1:1 qid:3\n", -1, "1:7", "expected index:value, found \"qid:3\""),
            Arguments.of("1 1:0.5x\n", -1, "1:5", "expected a numeric value for feature 1, found \"0.5x\""),
            Arguments.of("1 1:1\r2 1:1\n", -1, "1:6", "expected a line end after a carriage return"),
            Arguments.of("1 1:1\n\n \t\n-1 2:3:4\n", -1, "4:6", "expected a numeric value for feature 2, found \"3:4\""),
            Arguments.of("1 99999999999:1\n", -1, "1:3", "feature index \"99999999999\" is too large"),
            Arguments.of("1 1:1,2:1\n", -1, "1:5", "expected a numeric value for feature 1, found \"1,2:1\""),
            Arguments.of("1 1:0x10\n", -1, "1:5", "expected a numeric value for feature 1, found \"0x10\""),
            Arguments.of("1 1:1e\n", -1, "1:5", "expected a numeric value for feature 1, found \"1e\""),
            Arguments.of("1 1:1.0d\n", -1, "1:5", "expected a numeric value for feature 1, found \"1.0d\""),
            Arguments.of("1 1:1\n-1 1:2 2:.\n", -1, "2:10", "expected a numeric value for feature 2, found \".\""),
            Arguments.of("1 1:1\u000b\n", -1, "1:6", "unexpected byte 0x0B"),
            Arguments.of("1 1:1\n1 2:1 # ok\n1 3:1\t5:2\t4:1\r\n", -1, "3:11", "found 4 after 5"),
            Arguments.of("1 1:1\n1 1:1\n1 1:1 2:", -1, "3:9", "expected a value after \"2:\"")
        );
    }

    @ParameterizedTest(name = "[{index}] {2} {3}")
    @MethodSource("corpus")
    void failsAtLineAndColumn(String text, int features, String where, String what) {
        for (int buffer : new int[] { LibsvmReader.DEFAULT_BUFFER_SIZE, 3, 7 }) {
            LibsvmReader.Builder b = LibsvmReader.builder().bufferSize(buffer);
            if (features >= 0) b.features(features);
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> b.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), "m.svm"),
                    "buffer " + buffer);
            String[] lc = where.split(":");
            assertEquals(Long.parseLong(lc[0]), e.line(), e.getMessage());
            assertEquals(Integer.parseInt(lc[1]), e.column(), e.getMessage());
            assertEquals("m.svm", e.file());
            String prefix = "m.svm:" + lc[0] + (lc[1].equals("0") ? "" : ":" + lc[1]) + ": ";
            assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
            assertTrue(e.getMessage().contains(what), e.getMessage());
            assertEquals(-1, e.getMessage().indexOf('\n'), "one-line message");
        }
    }
}
