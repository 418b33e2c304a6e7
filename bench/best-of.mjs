// The one timing rule of the benchmarks that time single calls: the best wall-clock time of a few
// (the machine may be shared: other load only adds time).

/** Best wall-clock milliseconds of `reps` calls of fn. */
export function bestOf(fn, reps) {
  let b = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}
