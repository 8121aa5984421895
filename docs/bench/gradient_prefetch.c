/*
 * Does software prefetch let the full gradient's compute hide behind the DRAM stream at one
 * thread? docs/benchmarks.md section 6: Warthog's 1-thread pass over 500,000 x 256 doubles
 * takes 1.34-1.65x the read ceiling in JMH runs, and Java has no prefetch instruction. This is the same
 * pass in C, with and without __builtin_prefetch, next to the read ceiling of
 * read_ceiling.c, all in one run:
 *   read     : four streams, margins only (the ceiling);
 *   grad     : four streams, per step the four margins, the logistic derivatives and loss,
 *              and the four rows added to g while in L1 (Warthog's denseBlock loop);
 *   grad+pf  : the same, and while adding the rows to g, a prefetch of the rows DIST steps
 *              ahead, one per cache line, so the memory keeps streaming during the compute.
 *
 *   gcc -O3 -march=native -fopenmp docs/bench/gradient_prefetch.c -o /tmp/gradient_prefetch -lm
 *   OMP_NUM_THREADS=1 /tmp/gradient_prefetch; OMP_NUM_THREADS=2 /tmp/gradient_prefetch
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ROWS = 500000, COLS = 256, REPS = 10 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void dot4(const double *a, const double *b, const double *c, const double *d, const double *w, double *m) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int k = 0; k < COLS; k++) {
        s0 += a[k] * w[k];
        s1 += b[k] * w[k];
        s2 += c[k] * w[k];
        s3 += d[k] * w[k];
    }
    m[0] = s0; m[1] = s1; m[2] = s2; m[3] = s3;
}

/* g += sum_r a[r] x_r, and (dist > 0) one prefetch per cache line of the rows dist steps ahead */
static void axpy4(const double *a, const double *x0, const double *x1, const double *x2, const double *x3,
                  double *g, const double *p0, const double *p1, const double *p2, const double *p3, int pf) {
    for (int k = 0; k < COLS; k += 8) {
        if (pf) {
            __builtin_prefetch(p0 + k, 0, 0);
            __builtin_prefetch(p1 + k, 0, 0);
            __builtin_prefetch(p2 + k, 0, 0);
            __builtin_prefetch(p3 + k, 0, 0);
        }
        for (int j = k; j < k + 8; j++)
            g[j] = (((g[j] + a[0] * x0[j]) + a[1] * x1[j]) + a[2] * x2[j]) + a[3] * x3[j];
    }
}

/* one thread's rows [from, to) as four streams; mode 0 read, 1 grad, 2 grad + prefetch */
static double pass(const double *x, const double *y, const double *w, double *g, long from, long to, int mode, int dist) {
    long q = (to - from) / 4, end = from + q;
    double s = 0, m[4], a[4];
    for (long i = from; i < end; i++) {
        const double *r0 = x + i * COLS, *r1 = x + (i + q) * COLS, *r2 = x + (i + 2 * q) * COLS, *r3 = x + (i + 3 * q) * COLS;
        dot4(r0, r1, r2, r3, w, m);
        if (mode == 0) { s += (m[0] + m[1]) + (m[2] + m[3]); continue; }
        for (int r = 0; r < 4; r++) {
            double yr = y[i + r * q], z = yr * m[r];
            double e = exp(-fabs(z));
            s += (z > 0 ? log1p(e) : log1p(e) - z);         /* log(1 + exp(-z)) */
            a[r] = -yr * (z > 0 ? e / (1 + e) : 1 / (1 + e));  /* -y sigmoid(-z) */
        }
        long p = i + dist < end ? i + dist : i;
        axpy4(a, r0, r1, r2, r3, g, x + p * COLS, x + (p + q) * COLS, x + (p + 2 * q) * COLS, x + (p + 3 * q) * COLS, mode == 2);
    }
    return s;
}

int main(int argc, char **argv) {
    int dist = argc > 1 ? atoi(argv[1]) : 4;
    double *x = malloc(sizeof(double) * (size_t) ROWS * COLS), *y = malloc(sizeof(double) * ROWS), w[COLS];
    for (int k = 0; k < COLS; k++) w[k] = 0.01 / (k + 1);
#pragma omp parallel for
    for (long i = 0; i < (long) ROWS * COLS; i++) x[i] = (double) (i % 1000) * 1e-3 - 0.5;
    for (long i = 0; i < ROWS; i++) y[i] = (i * 7919 % 3) ? 1 : -1;
    const char *names[] = {"read", "grad", "grad+pf"};
    double best[3] = {1e30, 1e30, 1e30}, sink = 0;
    /* the three modes alternated within each repetition: the machine's slow spells hit all of them */
    for (int rep = 0; rep < REPS; rep++)
        for (int mode = 0; mode < 3; mode++) {
            double t0 = now(), s = 0;
#pragma omp parallel reduction(+ : s)
            {
                int t = omp_get_thread_num(), nt = omp_get_num_threads();
                double g[COLS];
                memset(g, 0, sizeof g);
                s += pass(x, y, w, g, (long) ROWS * t / nt, (long) ROWS * (t + 1) / nt, mode, dist);
                s += g[COLS - 1] * 1e-300;
            }
            double dt = now() - t0;
            if (dt < best[mode]) best[mode] = dt;
            sink += s;
        }
    for (int mode = 0; mode < 3; mode++)
        printf("threads=%d dist=%d %-8s best %.1f ms  (%.2fx the read)\n", omp_get_max_threads(), dist, names[mode],
               best[mode] * 1e3, best[mode] / best[0]);
    printf("(sink %g)\n", sink);
    free(x);
    free(y);
    return 0;
}
