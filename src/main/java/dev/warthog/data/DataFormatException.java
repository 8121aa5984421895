package dev.warthog.data;

/**
 * Bad input data. The message is one line naming the file, the line (and column, where it
 * applies) and what was expected, e.g. {@code data.svm:12:7: expected a feature index > 0, found "0"}.
 */
public class DataFormatException extends RuntimeException {
    private final String file;
    private final long line;
    private final int column;

    public DataFormatException(String message) {
        super(message);
        this.file = null;
        this.line = -1;
        this.column = -1;
    }

    /** {@code line} and {@code column} are 1-based; column 0 means the whole line. */
    public DataFormatException(String file, long line, int column, String what) {
        super(file + ":" + line + (column > 0 ? ":" + column : "") + ": " + what);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public String file() { return file; }
    public long line() { return line; }
    public int column() { return column; }
}
