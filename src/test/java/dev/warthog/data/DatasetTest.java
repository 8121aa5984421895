package dev.warthog.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DatasetTest {
    static Dataset sparse() {
        // 3 x 5: [1 0 2 0 0; 0 0 0 0 0; 0 3 0 0 4]
        return Dataset.sparse(3, 5, new int[] {0, 2, 2, 4}, new int[] {0, 2, 1, 4}, new double[] {1, 2, 3, 4},
                new double[] {1, -1, 1}, "t");
    }

    @Test
    void rowViewsAgreeBetweenDenseAndSparse() {
        Dataset s = sparse(), d = s.toDense();
        assertArrayEquals(new double[] {1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4}, d.values(), 0);
        Row rs = new Row(), rd = new Row();
        for (int i = 0; i < 3; i++) {
            s.row(i, rs);
            d.row(i, rd);
            double[] a = new double[5], b = new double[5];
            for (int k = 0; k < rs.nnz; k++) a[rs.column(k)] = rs.value(k);
            for (int k = 0; k < rd.nnz; k++) b[rd.column(k)] = rd.value(k);
            assertArrayEquals(b, a, 0);
            assertEquals(rd.squaredNorm(), rs.squaredNorm(), 0);
        }
        Dataset back = d.toSparse();
        assertArrayEquals(s.rowPtr(), back.rowPtr());
        assertArrayEquals(s.indices(), back.indices());
        assertEquals(4 * 12 + 3 * 8 + 4 * 4, s.bytes());
    }

    @Test
    void biasAddsAConstantColumn() {
        Dataset b = sparse().withBias(1.0);
        assertEquals(6, b.cols());
        Row r = b.row(1);
        assertEquals(1, r.nnz);
        assertEquals(5, r.column(0));
        Dataset bd = sparse().toDense().withBias(1.0);
        assertArrayEquals(b.toDense().values(), bd.values(), 0);
    }

    @Test
    void subsetsAreViewsNotCopies() {
        Dataset s = sparse();
        RowSubset[] parts = s.all().splitContiguous(2);
        assertSame(s, parts[0].data());
        assertEquals(3, parts[0].size() + parts[1].size());
        assertEquals(parts[0].size(), parts[1].rowId(0));
        RowSubset odd = RowSubset.of(s, new int[] {2, 0});
        assertEquals(4.0, odd.row(0, new Row()).value(1));
        assertThrows(IndexOutOfBoundsException.class, () -> RowSubset.of(s, new int[] {3}));
    }

    @Test
    void copyRowsCutsCsrCorrectly() {
        Dataset c = sparse().copyRows(1, 3);
        assertEquals(2, c.rows());
        assertEquals(0, c.rowNnz(0));
        assertArrayEquals(new int[] {0, 0, 2}, c.rowPtr());
        assertEquals(3.0, c.row(1).value(0));
        assertEquals(1, c.row(1).column(0));
    }

    @Test
    void sparseValidatesIndices() {
        var e = assertThrows(IllegalArgumentException.class, () ->
                Dataset.sparse(1, 3, new int[] {0, 2}, new int[] {2, 1}, new double[] {1, 1}, new double[] {1}, "x"));
        assertTrue(e.getMessage().contains("strictly increasing"));
        assertThrows(IllegalArgumentException.class, () ->
                Dataset.sparse(1, 3, new int[] {0, 1}, new int[] {3}, new double[] {1}, new double[] {1}, "x"));
    }

    @Test
    void binaryLabelsMapLargerToPlusOne() {
        Dataset d = Dataset.dense(3, 1, new double[] {1, 2, 3}, new double[] {0, 1, 0}, "d");
        assertArrayEquals(new double[] {-1, 1, -1}, Labels.toBinary(d).labels(), 0);
        Dataset d2 = Dataset.dense(3, 1, new double[] {1, 2, 3}, new double[] {4, 2, 2}, "d");
        assertArrayEquals(new double[] {1, -1, -1}, Labels.toBinary(d2).labels(), 0);
        Dataset one = Dataset.dense(2, 1, new double[] {1, 2}, new double[] {5, 5}, "one.svm");
        var e = assertThrows(DataFormatException.class, () -> Labels.toBinary(one));
        assertEquals("one.svm: binary classification needs exactly two distinct label values, found 1 (5)", e.getMessage());
    }
}
