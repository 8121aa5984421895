package dev.warthog.io;

import dev.warthog.data.DataFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed CSV inputs: each must fail with the exact line, column and a telling message. */
class CsvMalformedTest {
    static final UnaryOperator<CsvReader.Builder> DEFAULT = b -> b;

    static Stream<Arguments> corpus() {
        return Stream.of(
            Arguments.of("a,b,c\n1,2,3\n1,2\n", DEFAULT, "3:4", "expected 3 fields, found 2"),
            Arguments.of("a,b,c\n1,2,3\n1,2,3,4,5\n", DEFAULT, "3:6", "expected 3 fields, found 5"),
            Arguments.of("a,b,c\n1,,3\n", DEFAULT, "2:3", "expected a numeric value, found an empty field"),
            Arguments.of("a,b\n1,\n", DEFAULT, "2:3", "found an empty field"),
            Arguments.of("a,b\n,1\n", DEFAULT, "2:1", "expected a numeric label, found an empty field"),
            Arguments.of("a,b\n1,x\n", DEFAULT, "2:3", "expected a numeric value, found \"x\""),
            Arguments.of("a,b\nfoo,1\n", DEFAULT, "2:1", "expected a numeric label, found \"foo\""),
            Arguments.of("a,b\n1,NaN\n", DEFAULT, "2:3", "expected a finite value, found \"NaN\""),
            Arguments.of("a,b\n1, -inf\n", DEFAULT, "2:4", "expected a finite value, found \"-inf\""),
            Arguments.of("a,b\nNaN,1\n", DEFAULT, "2:1", "expected a finite label, found \"NaN\""),
            Arguments.of("1,2\n3,1e999\n", DEFAULT, "2:3", "expected a finite value, found \"1e999\""),
            Arguments.of("a,b\n1,2\n", (UnaryOperator<CsvReader.Builder>) b -> b.labelColumn("y"), "1:0",
                    "expected a column named \"y\" for the label, found a, b"),
            Arguments.of("1,2\n3,4\n", (UnaryOperator<CsvReader.Builder>) b -> b.labelColumn("y"), "1:0",
                    "label column \"y\" is given by name, but the file has no header row"),
            Arguments.of("a,b\n1,2\n", (UnaryOperator<CsvReader.Builder>) b -> b.labelColumn(5), "1:0",
                    "label column 5 is out of range: the file has 2 columns"),
            Arguments.of("a,b\n1,2\n", (UnaryOperator<CsvReader.Builder>) b -> b.labelColumn(-3), "1:0",
                    "label column -3 is out of range"),
            Arguments.of("", DEFAULT, "1:0", "expected at least one data row, found an empty file"),
            Arguments.of("a,b\n\n", DEFAULT, "2:0", "expected at least one data row after the header, found none"),
            Arguments.of("1,2\n3,4 5\n", DEFAULT, "2:3", "expected a numeric value, found \"4 5\""),
            Arguments.of("\"a,b\n1,2\n", DEFAULT, "1:1", "expected a closing quote"),
            Arguments.of("\"a\"x,b\n1,2\n", DEFAULT, "1:4", "expected a separator after a quoted field"),
            Arguments.of("a,b\n1,2.5.1\n", DEFAULT, "2:3", "expected a numeric value, found \"2.5.1\""),
            Arguments.of("a,b\n1,2\n\n3,\"4\"\n", DEFAULT, "4:3", "expected a numeric value, found \"\"4\"\""),
            Arguments.of("a,b\n1,2\n", (UnaryOperator<CsvReader.Builder>) b -> b.header(CsvReader.Header.ABSENT), "1:1",
                    "expected a numeric label, found \"a\""),
            Arguments.of("a;b\n1;2\n", DEFAULT, "2:1", "expected a numeric label, found \"1;2\""),
            Arguments.of("a,b\r\n1,2\r\n3\r\n", DEFAULT, "3:2", "expected 2 fields, found 1")
        );
    }

    @ParameterizedTest(name = "[{index}] {2} {3}")
    @MethodSource("corpus")
    void failsAtLineAndColumn(String text, UnaryOperator<CsvReader.Builder> options, String where, String what) {
        for (int buffer : new int[] { LibsvmReader.DEFAULT_BUFFER_SIZE, 3, 8 }) {
            CsvReader.Builder b = options.apply(CsvReader.builder().bufferSize(buffer));
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> b.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "m.csv"));
            String[] lc = where.split(":");
            assertEquals(Long.parseLong(lc[0]), e.line(), e.getMessage());
            assertEquals(Integer.parseInt(lc[1]), e.column(), e.getMessage());
            String prefix = "m.csv:" + lc[0] + (lc[1].equals("0") ? "" : ":" + lc[1]) + ": ";
            assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
            assertTrue(e.getMessage().contains(what), e.getMessage());
        }
    }
}
