/* Native peer of the wasm core: one USA force evaluation (docs/model.md "Dynamics", kappa = exp(beta u)/beta,
 * W = 1, no gauges), structure of arrays, f64, the same loop as assembly/forces.ts:
 *   e_ij = exp(beta (<z_i,z_j> - 1)),  F_i = (exp(beta)/n) sum_j e_ij z_j,  V_i = F_i - <F_i,z_i> z_i.
 * Built by bench/run.mjs with: cc -O3 -march=native -ffast-math -fopenmp (gcc vectorises exp with
 * glibc's libmvec under -ffast-math). Usage: native_peer n d reps threads
 * Prints one JSON line: seconds per evaluation (best of reps) and a checksum. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

static double now(void) { return omp_get_wtime(); }

static void velocity(int n, int d, double beta, const double *z, double *v) {
  const double scale = exp(beta) / n;
  #pragma omp parallel
  {
    double *acc = malloc(sizeof(double) * d);
    #pragma omp for schedule(static)
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) acc[k] = 0;
      if (d == 3) {
        const double xi = z[i], yi = z[n + i], zi = z[2 * n + i];
        double ax = 0, ay = 0, az = 0;
        #pragma omp simd reduction(+:ax,ay,az,s)
        for (int j = 0; j < n; j++) {
          double e = exp(beta * (xi * z[j] + yi * z[n + j] + zi * z[2 * n + j] - 1.0));
          ax += e * z[j]; ay += e * z[n + j]; az += e * z[2 * n + j]; s += e;
        }
        acc[0] = ax; acc[1] = ay; acc[2] = az;
      } else {
        /* blocks of 64 columns, one coordinate row at a time (the blocked loop of forces.ts) */
        double e[64];
        for (int jb = 0; jb < n; jb += 64) {
          const int jl = n - jb < 64 ? n - jb : 64;
          for (int j = 0; j < jl; j++) e[j] = z[i] * z[jb + j];
          for (int k = 1; k < d; k++) {
            const double zk = z[k * n + i];
            const double *row = z + (size_t)k * n + jb;
            for (int j = 0; j < jl; j++) e[j] += zk * row[j];
          }
          for (int j = 0; j < jl; j++) { e[j] = exp(beta * (e[j] - 1.0)); s += e[j]; }
          for (int k = 0; k < d; k++) {
            const double *row = z + (size_t)k * n + jb;
            double a = 0;
            for (int j = 0; j < jl; j++) a += e[j] * row[j];
            acc[k] += a;
          }
        }
      }
      double dot = 0;
      for (int k = 0; k < d; k++) dot += acc[k] * z[k * n + i];
      for (int k = 0; k < d; k++) v[k * n + i] = scale * (acc[k] - dot * z[k * n + i]);
      (void)s;
    }
    free(acc);
  }
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: native_peer n d reps threads\n"); return 2; }
  int n = atoi(argv[1]), d = atoi(argv[2]), reps = atoi(argv[3]), threads = atoi(argv[4]);
  omp_set_num_threads(threads);
  double *z = malloc(sizeof(double) * n * d), *v = malloc(sizeof(double) * n * d);
  unsigned long long st = 88172645463325252ULL;
  for (int i = 0; i < n; i++) {
    double r = 0;
    for (int k = 0; k < d; k++) {
      st ^= st << 13; st ^= st >> 7; st ^= st << 17;
      double g = (double)(st >> 11) / 9007199254740992.0 - 0.5;
      z[k * n + i] = g; r += g * g;
    }
    r = sqrt(r);
    for (int k = 0; k < d; k++) z[k * n + i] /= r;
  }
  double best = 1e300;
  for (int q = 0; q < reps; q++) {
    double t0 = now();
    velocity(n, d, 1.0, z, v);
    double t = now() - t0;
    if (t < best) best = t;
  }
  double sum = 0;
  for (int q = 0; q < n * d; q++) sum += fabs(v[q]);
  printf("{\"n\":%d,\"d\":%d,\"threads\":%d,\"seconds\":%.9g,\"checksum\":%.17g}\n", n, d, threads, best, sum);
  return 0;
}
