package dev.warthog.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PrefetchTest {
    @Test
    void touchesTheFirstAndLastEntryOfEachRowAndSkipsEmptyRows() {
        double[] values = {1, 2, 4, 8, 16};
        int[] indices = {10, 20, 30, 40, 50};
        // rows: [0, 3), empty at the very end of the arrays (offset = length), [3, 5), [4, 5)
        int[] offsets = {0, 5, 3, 4};
        int[] nnz = {3, 0, 2, 1};
        // values 1 + 4, 8 + 16, 16 + 16; indices 10 + 30, 40 + 50, 50 + 50
        assertEquals(61.0 + 230, Prefetch.rows(values, indices, offsets, nnz, 0, 4));
        assertEquals(32.0 + 100, Prefetch.rows(values, indices, offsets, nnz, 3, 4));
        assertEquals(0.0, Prefetch.rows(values, indices, offsets, nnz, 1, 2));
        assertEquals(0.0, Prefetch.rows(values, indices, offsets, nnz, 2, 2));
    }

    @Test
    void aBlockIsTouchedAtItsFirstStepOnlyAndNeverPastTheOrder() {
        int n = Prefetch.BLOCK + 3;
        double[] values = new double[n];
        int[] indices = new int[n], offsets = new int[n], nnz = new int[n];
        for (int k = 0; k < n; k++) { values[k] = 1; indices[k] = 2; offsets[k] = k; nnz[k] = 1; }
        // a row of one entry counts its value and index twice (first = last): 2 + 4 per row
        assertEquals(6.0 * Prefetch.BLOCK, Prefetch.block(values, indices, offsets, nnz, 0));
        assertEquals(0.0, Prefetch.block(values, indices, offsets, nnz, 1));
        assertEquals(6.0 * 3, Prefetch.block(values, indices, offsets, nnz, Prefetch.BLOCK));   // the last, short block
        assertEquals(0.0, Prefetch.block(values, null, offsets, nnz, 0), "dense rows are not touched");
    }
}
