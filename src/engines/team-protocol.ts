// The control block shared by a team's threads (team.ts, the calling thread; team-worker.ts, the
// workers): an Int32Array over a SharedArrayBuffer. The calling thread publishes one phase of the
// step plan at a time; every thread, the caller included, takes runs of consecutive units of it
// from the claim word until none is left (guided: a run is a share of what is left, down to single
// units at the end, so the phase's tail stays one unit long). A unit's result does not depend on who runs it, so any thread
// count gives the same bits. Nobody waits for a thread that took no unit: the caller waits only for
// units taken by others.
//
// Words that different threads write often sit on different 64-byte cache lines (LINE words
// apart), so that a write by one thread does not evict a word another thread polls:
//   line 0 (polled by idle workers, written once per phase or rarely)
//   [GEN]      wake-ups: the caller adds 1 after publishing a phase; idle workers wait on it
//   [SLEEPERS] workers blocked on GEN (the caller then notifies them)
//   [FAILED]   1 once a unit failed; its message (UTF-8, MESSAGE_BYTES at most) at byte messageAt
//   [LENGTH]   the message's length in bytes
//   [QUIT]     1 when the team stops
//   [PROFILE]  1 while threads log their units' times (team.ts profile)
//   line 1 (every claim)
//   [CLAIM]    (tag << UNIT_BITS) | next unit: tag = the phase's sequence number mod 2^TAG_BITS;
//              a thread takes units u .. u + r - 1 by moving the word from (tag, u) to (tag, u + r)
//   [SLOT + s] the plan's phase index of the phase whose tag has parity s
//   line 2 (every run a worker finishes; polled by the caller at a phase's end)
//   [DONE]     units finished by workers in the current phase
//   [WAITING]  1 while the caller blocks on DONE (workers then notify it)
//   line 3 + t, for worker t (its own writes)
//   [beatAt(t)] heartbeat of worker t: +1 at each wake-up, each run of units, each wait for a unit
//   [ackAt(t)]  the tag of the last phase worker t found exhausted (its acknowledgement)
//   after them, for phases whose units depend on earlier units (plan.ts Phase.after)
//   [flagAt(k, u)] tag + 1 once unit u of the current phase is done

/** Int32 words per 64-byte cache line. */
const LINE = 16;
export const GEN = 0;
export const SLEEPERS = 1;
export const FAILED = 2;
export const LENGTH = 3;
export const QUIT = 4;
export const PROFILE = 5;
export const CLAIM = LINE;
export const SLOT = LINE + 1;
export const DONE = 2 * LINE;
export const WAITING = 2 * LINE + 1;
/** First word of the workers' own lines. */
const BEATS = 3 * LINE;
export const MESSAGE_BYTES = 960;
/** Bits of the claim word that hold the next unit: a phase has fewer than 2^UNIT_BITS units (plan.ts MAX_PHASE_UNITS). */
export const UNIT_BITS = 14;
export const UNIT_MASK = (1 << UNIT_BITS) - 1;
/** Bits of the claim word's phase tag (31 bits in all, so the word stays a positive int32). */
export const TAG_BITS = 17;
export const TAG_MASK = (1 << TAG_BITS) - 1;
/** Polls of a control word before blocking on it: a wake-up costs far more than a short spin. */
export const SPIN = 20000;

/** Int32 words of the control block of a team of k threads whose phases have at most `flags` units with dependencies. */
export function controlWords(k: number, flags = 0): number {
  return BEATS + LINE * k + flags;
}

/** Bytes of the control block, message included (the message is the last MESSAGE_BYTES). */
export function controlBytes(k: number, flags = 0): number {
  return 4 * controlWords(k, flags) + MESSAGE_BYTES;
}

/** Word of worker t's heartbeat. */
export function beatAt(t: number): number {
  return BEATS + LINE * t;
}

/** Word of worker t's acknowledgement: the tag of the last phase it found exhausted. */
export function ackAt(t: number): number {
  return BEATS + LINE * t + 1;
}

/** Word of unit u's done flag in a team of k threads. */
export function flagAt(k: number, u: number): number {
  return BEATS + LINE * k + u;
}

/** What a thread needs to know of each phase of the plan to take its units. */
export interface PhaseTable {
  /** units of each phase */
  readonly units: ArrayLike<number>;
  /** threads that take each phase's units: thread t takes part when t < threads[p] */
  readonly threads: ArrayLike<number>;
  /** per phase, null or the units each unit waits for (plan.ts Phase.after: two per unit, -1 none) */
  readonly after: readonly (Int32Array | null)[];
  /** per phase, the most units one claim takes (1 where units depend on each other) */
  readonly run: ArrayLike<number>;
}

/**
 * Takes the next units of the published phase for thread t: returns the first as
 * p * 2^UNIT_BITS + u (phase p of the plan, unit u), or -1 when the phase has none left for t (all
 * taken, or t does not take part). `tag` receives the phase's tag in tag[0] and the number of
 * units taken in tag[1]: half of what is left per thread of the phase (at least one, at most
 * the phase's run), so that early claims are long and the last ones single units.
 */
export function claimUnit(ctl: Int32Array, table: PhaseTable, t: number, tag: Int32Array): number {
  for (;;) {
    const w = Atomics.load(ctl, CLAIM);
    const g = w >>> UNIT_BITS;
    const p = Atomics.load(ctl, SLOT + (g & 1));
    const u = w & UNIT_MASK;
    tag[0] = g;
    const threads = table.threads[p], units = table.units[p];
    if (t >= threads || u >= units) return -1;
    const r = Math.max(1, Math.min(table.run[p], Math.floor((units - u) / (2 * threads))));
    if (Atomics.compareExchange(ctl, CLAIM, w, w + r) === w) {
      tag[1] = r;
      // the phase cannot end while these units are taken: its slot is still p
      return Atomics.load(ctl, SLOT + (g & 1)) * (UNIT_MASK + 1) + u;
    }
  }
}

/** Makes phase p of `units` units, with sequence number seq, the one threads take units from. */
export function publishPhase(ctl: Int32Array, seq: number, p: number): void {
  const tag = seq & TAG_MASK;
  Atomics.store(ctl, DONE, 0);
  Atomics.store(ctl, SLOT + (tag & 1), p);
  Atomics.store(ctl, CLAIM, tag << UNIT_BITS);
  Atomics.add(ctl, GEN, 1);
  if (Atomics.load(ctl, SLEEPERS) > 0) Atomics.notify(ctl, GEN);
}

/**
 * Withdraws every unit left in the published phase of `units` units (after a failure: no thread
 * starts another); returns how many it withdrew (they will never be done).
 */
export function closePhase(ctl: Int32Array, units: number): number {
  for (;;) {
    const w = Atomics.load(ctl, CLAIM);
    const next = w & UNIT_MASK;
    if (next >= units) return 0;
    if (Atomics.compareExchange(ctl, CLAIM, w, (w & ~UNIT_MASK) | units) === w) return units - next;
  }
}

/**
 * Waits until the units that unit u of a phase with dependencies waits for are done in the phase
 * of tag `tag`. `idle` runs about every millisecond of waiting (heartbeats, liveness checks).
 */
export function awaitUnitsBefore(ctl: Int32Array, k: number, after: Int32Array, u: number, tag: number, idle: () => void): void {
  for (let j = 0; j < 2; j++) {
    const d = after[2 * u + j];
    if (d < 0) continue;
    const at = flagAt(k, d);
    let spins = 0;
    for (;;) {
      const v = Atomics.load(ctl, at);
      if (v === tag + 1) break;
      if (++spins > SPIN) {
        Atomics.wait(ctl, at, v, 1);
        idle();
        spins = 0;
      }
    }
  }
}

/** Marks unit u of the phase of tag `tag` done (done or failed: nobody may wait for it forever). */
export function markUnitDone(ctl: Int32Array, k: number, u: number, tag: number): void {
  const at = flagAt(k, u);
  Atomics.store(ctl, at, tag + 1);
  Atomics.notify(ctl, at);
}

/** A worker finished `count` units (or failed them): counts them, and wakes the caller if it blocks. */
export function unitDone(ctl: Int32Array, count = 1): void {
  Atomics.add(ctl, DONE, count);
  if (Atomics.load(ctl, WAITING) !== 0) Atomics.notify(ctl, DONE);
}

/** Records the first failure's message (later ones are dropped). */
export function recordFailure(ctl: Int32Array, messageAt: number, message: string): void {
  if (Atomics.compareExchange(ctl, FAILED, 0, 1) !== 0) return;
  const bytes = new TextEncoder().encode(message);
  const len = Math.min(bytes.length, MESSAGE_BYTES);
  new Uint8Array(ctl.buffer, messageAt, len).set(bytes.subarray(0, len));
  Atomics.store(ctl, LENGTH, len);
}

/** The failure's message. */
export function failureMessage(ctl: Int32Array, messageAt: number): string {
  return new TextDecoder().decode(new Uint8Array(ctl.buffer, messageAt, Atomics.load(ctl, LENGTH)).slice());
}

/** "phase NAME, particles a..b" or "phase NAME, unit u" (units u..v): what a failure of units [u, u1) names. */
export function describeUnit(name: string, rows: boolean, per: number, n: number, u: number, u1 = u + 1): string {
  if (rows) return `phase "${name}", particles ${u * per}..${Math.min(n, u1 * per) - 1}`;
  return u1 === u + 1 ? `phase "${name}", unit ${u}` : `phase "${name}", units ${u}..${u1 - 1}`;
}

/** Milliseconds on a clock that every thread of the process shares (profiles compare threads' times). */
export function sharedClock(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * A thread's profile log inside a Float64Array of PROFILE_SLOTS per thread: [count, then (start,
 * end) per unit taken, ms on sharedClock]; units past the capacity are not logged.
 */
export const PROFILE_SLOTS = 1 + 2 * 65536;

/** Logs one unit's times in thread t's profile. */
export function logUnit(log: Float64Array, t: number, start: number, end: number): void {
  const at = t * PROFILE_SLOTS;
  const c = log[at];
  if (2 * c + 2 < PROFILE_SLOTS) {
    log[at + 1 + 2 * c] = start;
    log[at + 2 + 2 * c] = end;
    log[at] = c + 1;
  }
}
