// Progress bars on standard error: redrawn in place on a terminal, one line per 10% otherwise
// (logs and CI stay readable).

export interface Progress {
  /** done of total units finished */
  update(done: number, total: number): void;
  /** ends the bar with an optional note (e.g. the elapsed time) */
  finish(note?: string): void;
}

export interface ProgressSink {
  stderr: (text: string) => void;
  /** true when standard error is a terminal */
  isTTY?: boolean;
}

const WIDTH = 28;

export function progressBar(label: string, sink: ProgressSink, now: () => number = Date.now): Progress {
  const start = now();
  let lastDecile = -1, lastDraw = 0, lastLine = "";
  const line = (done: number, total: number): string => {
    const f = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(f * WIDTH);
    const elapsed = (now() - start) / 1000;
    const eta = f > 0 && f < 1 ? ` eta ${formatSeconds((elapsed * (1 - f)) / f)}` : "";
    return `${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${(100 * f).toFixed(0).padStart(3)}% ${done}/${total} ${formatSeconds(elapsed)}${eta}`;
  };
  return {
    update(done, total) {
      if (sink.isTTY) {
        const t = now();
        if (t - lastDraw < 100 && done < total) return;
        lastDraw = t;
        lastLine = line(done, total);
        sink.stderr(`\r${lastLine}\x1b[K`);
      } else {
        const decile = total > 0 ? Math.floor((10 * done) / total) : 10;
        if (decile !== lastDecile) {
          lastDecile = decile;
          sink.stderr(line(done, total) + "\n");
        }
      }
    },
    finish(note) {
      const tail = note ? ` ${note}` : "";
      if (sink.isTTY) sink.stderr(`\r${lastLine || label}${tail}\x1b[K\n`);
      else if (note) sink.stderr(`${label}${tail}\n`);
    },
  };
}

export function formatSeconds(s: number): string {
  if (s < 59.95) return `${s.toFixed(1)}s`;
  // round to whole seconds first, so 119.6 s reads 2m00s, not 1m60s
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
}
