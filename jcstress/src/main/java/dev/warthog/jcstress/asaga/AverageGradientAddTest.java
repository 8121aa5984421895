package dev.warthog.jcstress.asaga;

import dev.warthog.asaga.SagaMemory;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.DDD_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two ASAGA workers add their delta x_ij / n to the same coordinate of the shared average
 * gradient gbar, through {@link SagaMemory#addToAverage} (the call every ASAGA, ProxASAGA and
 * async-IAG step makes). The CAS loop must lose neither add: the final value is 2.0, and the
 * two adds produced 1.0 and 2.0 in one order or the other (each saw the other's add or none).
 * r1, r2: the value each worker's add produced; r3: gbar_0 at the end.
 */
@JCStressTest
@Outcome(id = "1.0, 2.0, 2.0", expect = ACCEPTABLE, desc = "worker 1 added first, worker 2 on top of it")
@Outcome(id = "2.0, 1.0, 2.0", expect = ACCEPTABLE, desc = "worker 2 added first, worker 1 on top of it")
@Outcome(id = "1.0, 1.0, 1.0", expect = FORBIDDEN, desc = "an average-gradient add was lost (both added to 0)")
@Outcome(expect = FORBIDDEN, desc = "any other result: an add lost, counted twice or torn")
@State
public class AverageGradientAddTest {
    final SagaMemory mem = new SagaMemory(2, 3);

    @Actor public void worker1(DDD_Result r) { r.r1 = mem.addToAverage(1, 1.0); }
    @Actor public void worker2(DDD_Result r) { r.r2 = mem.addToAverage(1, 1.0); }
    @Arbiter public void check(DDD_Result r) { r.r3 = mem.averageOpaque(1); }
}
