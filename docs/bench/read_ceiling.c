/*
 * The memory-read ceiling of this machine, measured the way docs/benchmarks.md section 6
 * needs it: one read-only pass over a 500,000 x 256 row-major matrix of doubles (1.02 GB,
 * the shape of FullGradientBenchmark's dense case), reading every row against a 256-double
 * w, with OpenMP threads. Two row orders:
 *   rows    : rows in order, one memory stream per thread;
 *   streams4: each thread's rows as four quarters read side by side, four streams per
 *             thread (the order Warthog's fused gradient uses).
 * Run it in the same minutes as the JMH benchmark; the machine is shared and noisy.
 *
 *   gcc -O3 -march=native -ffast-math -fopenmp docs/bench/read_ceiling.c -o /tmp/read_ceiling
 *   OMP_NUM_THREADS=1 /tmp/read_ceiling; OMP_NUM_THREADS=2 /tmp/read_ceiling
 */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { ROWS = 500000, COLS = 256, REPS = 10 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double dot(const double *x, const double *w) {
    double s = 0;
    for (int k = 0; k < COLS; k++) s += x[k] * w[k];
    return s;
}

/* four rows read side by side in one loop: four streams in flight */
static double dot4(const double *a, const double *b, const double *c, const double *d, const double *w) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int k = 0; k < COLS; k++) {
        s0 += a[k] * w[k];
        s1 += b[k] * w[k];
        s2 += c[k] * w[k];
        s3 += d[k] * w[k];
    }
    return (s0 + s1) + (s2 + s3);
}

int main(void) {
    double *x = malloc(sizeof(double) * (size_t) ROWS * COLS), w[COLS];
    for (int k = 0; k < COLS; k++) w[k] = 1.0 / (k + 1);
#pragma omp parallel for
    for (long i = 0; i < (long) ROWS * COLS; i++) x[i] = (double) (i % 1000) * 1e-3;
    for (int mode = 0; mode < 2; mode++) {
        double best = 1e30, sink = 0;
        for (int rep = 0; rep < REPS; rep++) {
            double t0 = now(), s = 0;
#pragma omp parallel reduction(+ : s)
            {
                int t = omp_get_thread_num(), nt = omp_get_num_threads();
                long from = (long) ROWS * t / nt, to = (long) ROWS * (t + 1) / nt;
                if (mode == 0) {
                    for (long i = from; i < to; i++) s += dot(x + i * COLS, w);
                } else {
                    long q = (to - from) / 4;
                    for (long i = from; i < from + q; i++)
                        s += dot4(x + i * COLS, x + (i + q) * COLS, x + (i + 2 * q) * COLS, x + (i + 3 * q) * COLS, w);
                    for (long i = from + 4 * q; i < to; i++) s += dot(x + i * COLS, w);
                }
            }
            double dt = now() - t0;
            if (dt < best) best = dt;
            sink += s;
        }
        printf("threads=%d order=%s best %.1f ms  %.1f GB/s  (sink %g)\n", omp_get_max_threads(),
               mode == 0 ? "rows" : "streams4", best * 1e3, 8.0 * ROWS * COLS / best * 1e-9, sink);
    }
    free(x);
    return 0;
}
