package dev.warthog.averaging;

import dev.warthog.data.RowSubset;
import dev.warthog.engine.Partitioning;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SharesTest {
    static final RowSubset ALL = LocalSgdTest.HEART.all();

    @Test
    void equalSharesAreTheRandomPartitioning() {
        RowSubset[] a = Shares.parse(null, 3).split(ALL, 11), b = Partitioning.RANDOM.split(ALL, 3, 11);
        for (int i = 0; i < 3; i++) {
            assertEquals(b[i].size(), a[i].size());
            for (int k = 0; k < a[i].size(); k++) assertEquals(b[i].rowId(k), a[i].rowId(k));
        }
    }

    @Test
    void namedFractionsAndTheRestSplitEqually() {
        RowSubset[] p = Shares.parse("0:0.5,3:0", 4).split(ALL, 1);
        assertEquals(135, p[0].size());
        assertEquals(0, p[3].size());
        assertEquals(ALL.size(), p[0].size() + p[1].size() + p[2].size());
        assertTrue(Math.abs(p[1].size() - p[2].size()) <= 1);
        Set<Integer> seen = new HashSet<>();
        for (RowSubset s : p) for (int k = 0; k < s.size(); k++) assertTrue(seen.add(s.rowId(k)), "each row once");
        assertEquals(ALL.size(), seen.size());
        assertEquals(0.25, Shares.parse("0:0.5,3:0", 4).fraction(1), 1e-15);
    }

    @Test
    void badSharesNameTheOption() {
        for (String bad : new String[] {"0", "a:0.5", "0:x", "4:0.1", "-1:0.1", "0:1.5", "0:-0.1", "0:0.7,1:0.6",
                "0:0.2,0:0.3", "0:0.5,1:0.3,2:0.1,3:0.05"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Shares.parse(bad, 4), bad);
            assertTrue(e.getMessage().startsWith("--shares"), bad + ": " + e.getMessage());
        }
    }
}
