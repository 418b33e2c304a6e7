// A live line plot on a Canvas 2D: y against the step, linear or log10 scale. Its axis labels are
// the data's own range: an empty plot shows none, a flat one shows its one value.

/** Points kept per series; beyond it every other point is dropped (the shape stays). */
const MAX_POINTS = 1500;

export class LinePlot {
  private xs: number[] = [];
  private ys: number[] = [];
  private pending = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly title: string, private readonly log: boolean, private readonly color: string) {
    canvas.dataset.points = "0";
    canvas.dataset.yRange = "";
    new ResizeObserver(() => this.redraw()).observe(canvas);
  }

  clear(): void {
    this.xs = [];
    this.ys = [];
    this.redraw();
  }

  add(x: number, y: number): void {
    if (this.xs.length > 0 && x <= this.xs[this.xs.length - 1]) return;
    this.xs.push(x);
    this.ys.push(y);
    if (this.xs.length > MAX_POINTS) {
      this.xs = this.xs.filter((_, i) => i % 2 === 0);
      this.ys = this.ys.filter((_, i) => i % 2 === 0);
    }
    this.redraw();
  }

  private redraw(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth, h = c.clientHeight;
    if (w === 0 || h === 0) return;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    const g = c.getContext("2d")!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#cbd5e1";
    g.fillText(this.title, 8, 14);
    const left = 58, right = w - 8, top = 22, bottom = h - 18;
    g.strokeStyle = "#475569";
    g.strokeRect(left, top, right - left, bottom - top);
    // log scale: a value <= 0 has no place on the axis and is left out (a gap in the line)
    const ys = this.ys.map((y) => (this.log ? (y > 0 ? Math.log10(y) : NaN) : y));
    const range = valueRange(ys);
    // the axis labels the canvas shows, for tests: empty while there is nothing to show
    c.dataset.points = String(this.xs.length);
    c.dataset.yRange = !range ? "" : range.flat ? this.format(range.lo) : `${this.format(range.lo)} to ${this.format(range.hi)}`;
    g.fillStyle = "#94a3b8";
    if (!range) {
      g.fillText("no data yet", (left + right) / 2 - 28, (top + bottom) / 2 + 4);
      return;
    }
    const x0 = this.xs[0], x1 = this.xs[this.xs.length - 1];
    // a flat series (or one point) sits mid-height with its one value as the only label
    const yOf = (v: number) => (range.flat ? (top + bottom) / 2 : bottom - ((v - range.lo) / (range.hi - range.lo)) * (bottom - top));
    const xOf = (v: number) => (x1 > x0 ? left + ((v - x0) / (x1 - x0)) * (right - left) : left);
    if (!range.flat) {
      g.fillText(this.format(range.hi), 4, top + 9);
      g.fillText(this.format(range.lo), 4, bottom);
    } else {
      g.fillText(this.format(range.lo), 4, (top + bottom) / 2 + 4);
    }
    g.fillText(x1 > x0 ? `step ${x0} to ${x1}` : `step ${x0}`, right - 110, h - 4);
    g.strokeStyle = this.color;
    g.fillStyle = this.color;
    g.lineWidth = 1.5;
    g.beginPath();
    let pen = false;
    this.xs.forEach((x, i) => {
      const ok = Number.isFinite(ys[i]);
      // a point with no neighbour on either side is drawn as a dot
      if (ok && !pen && !Number.isFinite(ys[i + 1])) {
        g.moveTo(xOf(x) + 2.5, yOf(ys[i]));
        g.arc(xOf(x), yOf(ys[i]), 2.5, 0, 2 * Math.PI);
      } else if (ok) {
        if (pen) g.lineTo(xOf(x), yOf(ys[i])); else g.moveTo(xOf(x), yOf(ys[i]));
      }
      pen = ok;
    });
    g.stroke();
  }

  /** An axis value as shown: 10^v on the log scale. */
  private format(v: number): string {
    return this.log ? Math.pow(10, v).toExponential(1) : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-2) ? v.toExponential(2) : v.toFixed(3);
  }
}

/** Values closer than this (relative, at least 1 absolute) are drawn as one level: round-off, not a change. */
const FLAT = 1e-12;

/**
 * The y range a plot shows: the least and greatest finite value, or null with none. Nothing is
 * invented: a single value or a flat series (spread within FLAT) is `flat`, drawn mid-height
 * with its one value as the only label.
 */
export function valueRange(ys: readonly number[]): { lo: number; hi: number; flat: boolean } | null {
  let lo = Infinity, hi = -Infinity;
  for (const y of ys) {
    if (!Number.isFinite(y)) continue;
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  return lo <= hi ? { lo, hi, flat: hi - lo <= FLAT * Math.max(1, Math.abs(hi)) } : null;
}
