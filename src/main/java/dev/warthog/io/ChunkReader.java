package dev.warthog.io;

import java.io.IOException;
import java.io.InputStream;

/**
 * Hands out a stream as blocks of whole lines, {@code buf[start, end)}, each block ending
 * with {@code '\n'} (one is supplied after a last line that lacks it). The tail of a line
 * cut by the end of a read is carried to the front of the buffer for the next block, so a
 * parser never sees a partial line and can use the {@code '\n'} as its sentinel. A line
 * longer than the buffer grows it.
 */
final class ChunkReader {
    private final InputStream in;
    byte[] buf;
    int start;
    int end;
    private int limit;        // valid bytes in buf
    private boolean eof;

    ChunkReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[Math.max(bufferSize, 2)];
    }

    /** Advances to the next block of whole lines; false at the end of the stream. */
    boolean next() throws IOException {
        int rem = limit - end;
        if (end > 0 && rem > 0) System.arraycopy(buf, end, buf, 0, rem);
        limit = rem;
        start = 0;
        end = 0;
        for (;;) {
            if (eof) {
                if (limit == 0) return false;
                if (limit == buf.length) grow();
                buf[limit++] = '\n';    // last line without a line end
                end = limit;
                return true;
            }
            int scanFrom = limit;
            while (limit < buf.length) {
                int n = in.read(buf, limit, buf.length - limit);
                if (n < 0) { eof = true; break; }
                limit += n;
            }
            // the carried tail [0, scanFrom) holds no '\n', so only the new bytes are searched
            for (int i = limit - 1; i >= scanFrom; i--) {
                if (buf[i] == '\n') { end = i + 1; return true; }
            }
            if (!eof) grow();           // one line longer than the buffer
        }
    }

    private void grow() {
        if (buf.length >= Integer.MAX_VALUE - 16) throw new IllegalStateException("line longer than 2 GiB");
        byte[] b = new byte[(int) Math.min(Integer.MAX_VALUE - 16L, 2L * buf.length)];
        System.arraycopy(buf, 0, b, 0, limit);
        buf = b;
    }
}
