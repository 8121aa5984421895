package dev.warthog.averaging;

import dev.warthog.data.Row;
import dev.warthog.data.RowSubset;
import dev.warthog.engine.Partitioning;
import dev.warthog.engine.Seeds;
import dev.warthog.objective.Problem;
import dev.warthog.solver.Sgd;

import java.util.SplittableRandom;

/**
 * A plain serial reference of PASGD (seed 003 eq. (1)) for the tests: M dense replicas,
 * updated one worker after the other with the naive step
 * x <- (1 - eta l2) x - (eta/b) sum_k loss'(x.x_k, y_k) x_k (no scale trick), optional
 * local momentum (cleared after each averaging) and block momentum (eq. (7)-(8)), averaged
 * with a left-to-right sum. Sampling conventions: rows dealt by Partitioning.RANDOM (or the
 * given parts), worker streams Seeds.forWorker, endless reshuffled permutations
 * (Sgd.epochOrder), batches of the next b positions.
 */
final class SerialPasgd {
    final Problem p;
    final int m, b, d;
    final RowSubset[] parts;
    final SplittableRandom[] rnd;
    final int[][] order;
    final int[] cursor;
    final double[][] x, mom;
    final double mu, beta;
    double[] start, u;

    SerialPasgd(Problem p, int m, int b, long seed, RowSubset[] parts, double mu, double beta) {
        this.p = p; this.m = m; this.b = b; this.d = p.dim(); this.mu = mu; this.beta = beta;
        this.parts = parts != null ? parts : Partitioning.RANDOM.split(p.data().all(), m, seed);
        rnd = new SplittableRandom[m];
        order = new int[m][];
        cursor = new int[m];
        x = new double[m][d];
        mom = new double[m][d];
        for (int i = 0; i < m; i++) {
            rnd[i] = Seeds.forWorker(seed, i);
            order[i] = new int[this.parts[i].size()];
            cursor[i] = this.parts[i].size();
        }
        start = new double[d];
        u = new double[d];
    }

    void localStep(int i, double eta) {
        int n = parts[i].size();
        if (n == 0) return;
        Row r = new Row();
        double[] g = new double[d];
        for (int q = 0; q < b; q++) {
            if (cursor[i] == n) { Sgd.epochOrder(n, rnd[i], order[i]); cursor[i] = 0; }
            parts[i].row(order[i][cursor[i]++], r);
            double margin = 0;
            for (int k = 0; k < r.nnz; k++) margin += r.value(k) * x[i][r.column(k)];
            double dl = p.loss().derivative(margin, r.label);
            for (int k = 0; k < r.nnz; k++) g[r.column(k)] += dl * r.value(k) / b;
        }
        for (int j = 0; j < d; j++) {
            g[j] += p.l2() * x[i][j];
            if (mu > 0) { mom[i][j] = mu * mom[i][j] + g[j]; x[i][j] -= eta * mom[i][j]; }
            else x[i][j] -= eta * g[j];
        }
    }

    /** One period: tau steps per worker, then the average (or the block-momentum update with step eta). */
    void period(int tau, double eta) {
        for (int i = 0; i < m; i++) for (int k = 0; k < tau; k++) localStep(i, eta);
        double[] avg = new double[d];
        for (int i = 0; i < m; i++) for (int j = 0; j < d; j++) avg[j] += x[i][j] / m;
        if (beta > 0) {
            for (int j = 0; j < d; j++) {
                u[j] = beta * u[j] + (start[j] - avg[j]) / eta;
                avg[j] = start[j] - eta * u[j];
            }
        }
        start = avg.clone();
        for (int i = 0; i < m; i++) { x[i] = avg.clone(); java.util.Arrays.fill(mom[i], 0); }
    }

    double[] model() { return x[0]; }
}
