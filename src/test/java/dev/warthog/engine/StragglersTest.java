package dev.warthog.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class StragglersTest {
    private static final long MS = 1_000_000;

    @Test
    void nothingGivenIsNone() {
        for (Stragglers s : new Stragglers[]{Stragglers.parse(null, null, null), Stragglers.parse(" ", "", "  "), Stragglers.NONE}) {
            assertFalse(s.any());
            assertEquals(-1, s.maxWorker());
            assertEquals("none", s.toString());
            assertEquals(1.0, s.slowdown(0));
            assertTrue(s.pacer(0, 1).idle());
        }
    }

    @Test
    void slowdownFactorsPerWorker() {
        Stragglers s = Stragglers.parse("1:3, 4:1.5", null, null);
        assertTrue(s.any());
        assertEquals(1.0, s.slowdown(0));
        assertEquals(3.0, s.slowdown(1));
        assertEquals(1.0, s.slowdown(2), "ids between the named ones are not slowed");
        assertEquals(1.5, s.slowdown(4));
        assertEquals(1.0, s.slowdown(9), "ids past the named ones are not slowed");
        assertEquals(4, s.maxWorker());
        assertTrue(s.pacer(0, 1).idle());
        assertFalse(s.pacer(1, 1).idle());
        s.checkWorkers(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.checkWorkers(4));
        assertTrue(e.getMessage().contains("worker 4") && e.getMessage().contains("4 workers") && e.getMessage().contains("0..3"), e.getMessage());
        assertEquals(1.0, Stragglers.parse("2:1", null, null).slowdown(2));
        assertFalse(Stragglers.parse("2:1", null, null).any(), "a factor of 1 slows nobody");
    }

    @Test
    void delaysAndStalls() {
        Stragglers e = Stragglers.parse(null, "exp:5", null);
        assertEquals(Stragglers.Kind.EXP, e.delayKind());
        assertEquals(5.0, e.delayMeanMs());
        assertTrue(e.any());
        assertEquals(-1, e.maxWorker(), "a delay applies to every worker, naming none");
        Stragglers f = Stragglers.parse(null, " FIXED:0.25 ", null);
        assertEquals(Stragglers.Kind.FIXED, f.delayKind());
        assertEquals(0.25, f.delayMeanMs());
        Stragglers st = Stragglers.parse(null, null, "1:500:2000, 0:0:10");
        assertEquals(List.of(new Stragglers.Stall(1, 500, 2000), new Stragglers.Stall(0, 0, 10)), st.stalls());
        assertEquals(1, st.maxWorker());
        assertEquals("slowdown 1:3.0; delay exp:5.0; stall 2:1.0:2.0", Stragglers.parse("1:3", "exp:5", "2:1:2").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "--slowdown; 1;         ; ; i:factor",
            "--slowdown; 1:2:3;     ; ; i:factor",
            "--slowdown; x:3;       ; ; worker id",
            "--slowdown; -1:3;      ; ; worker id >= 0",
            "--slowdown; 1:0.5;     ; ; factor >= 1",
            "--slowdown; 1:Infinity; ; ; finite factor",
            "--slowdown; 1:NaN;     ; ; factor >= 1",
            "--slowdown; 1:fast;    ; ; a number, got 'fast'",
            "--delay;    ; exp;       ; exp:MEAN_MS or fixed:MS",
            "--delay;    ; gauss:3;   ; exp:MEAN_MS or fixed:MS",
            "--delay;    ; exp:-1;    ; delay >= 0 ms",
            "--delay;    ; fixed:x;   ; a number, got 'x'",
            "--stall;    ; ; 1:2;       i:after_ms:for_ms",
            "--stall;    ; ; a:1:2;     worker id",
            "--stall;    ; ; 1:-1:5;    times >= 0 ms",
            "--stall;    ; ; 1:5:oops;  a number, got 'oops'",
    })
    void badSettingsNameTheOptionAndTheExpectedForm(String option, String slowdown, String delay, String stall, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Stragglers.parse(slowdown, delay, stall));
        assertTrue(e.getMessage().startsWith(option + ": cannot read '"), e.getMessage());
        assertTrue(e.getMessage().contains("expected") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aSlowdownOfThreeMakesTheWorkerWaitTwiceItsWork() {
        Stragglers.Pacer p = Stragglers.parse("1:3", null, null).pacer(1, 7);
        p.begin();
        long t0 = System.nanoTime();
        p.afterWork(20 * MS, () -> false);
        long waited = System.nanoTime() - t0;
        assertTrue(waited >= 40 * MS, "waited " + waited + " ns for 20 ms of work at factor 3");
        assertTrue(p.waitedNanos() >= 40 * MS, "waitedNanos " + p.waitedNanos());
    }

    @Test
    void shortDebtsAccumulateUntilTheyAreWorthAPark() {
        Stragglers.Pacer p = Stragglers.parse("0:2", null, null).pacer(0, 7);
        p.begin();
        p.afterWork(Stragglers.PAY_NANOS / 4, () -> false);
        assertEquals(0, p.waitedNanos(), "a quarter of the minimum park is only owed");
        for (int i = 0; i < 3; i++) p.afterWork(Stragglers.PAY_NANOS / 4, () -> false);
        assertTrue(p.waitedNanos() >= Stragglers.PAY_NANOS, "paid once the debt reached the minimum: " + p.waitedNanos());
    }

    @Test
    void aFixedDelayIsPaidEveryUnitOfWork() {
        Stragglers.Pacer p = Stragglers.parse(null, "fixed:2", null).pacer(3, 7);
        p.begin();
        for (int i = 0; i < 5; i++) p.afterWork(0, null);
        assertTrue(p.waitedNanos() >= 10 * MS, "5 units at 2 ms: " + p.waitedNanos());
    }

    @Test
    void aStallHappensOnceWhenDueAndOnlyOnItsWorker() {
        Stragglers s = Stragglers.parse(null, null, "0:0:30");
        Stragglers.Pacer other = s.pacer(1, 7);
        assertTrue(other.idle());
        Stragglers.Pacer p = s.pacer(0, 7);
        p.begin();
        p.afterWork(0, () -> false);
        long first = p.waitedNanos();
        assertTrue(first >= 30 * MS, "stalled " + first);
        for (int i = 0; i < 3; i++) p.afterWork(0, () -> false);
        assertEquals(first, p.waitedNanos(), "the stall is paid once");

        Stragglers.Pacer later = Stragglers.parse(null, null, "0:3600000:30").pacer(0, 7);
        later.begin();
        later.afterWork(0, () -> false);
        assertEquals(0, later.waitedNanos(), "a stall an hour into the run is not due yet");
    }

    @Test
    void theStopFlagCutsALongStallShort() {
        Stragglers.Pacer p = Stragglers.parse(null, null, "0:0:600000").pacer(0, 7);   // ten minutes
        AtomicInteger polls = new AtomicInteger();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            p.begin();
            p.afterWork(0, () -> polls.incrementAndGet() >= 3);
        });
        assertTrue(polls.get() >= 3, "the stall polled the stop flag between slices");
        assertTrue(p.waitedNanos() < 60_000 * MS, "cut short: " + p.waitedNanos());
    }
}
