// A live line plot on a Canvas 2D: y against the step, linear or log10 scale.

/** Points kept per series; beyond it every other point is dropped (the shape stays). */
const MAX_POINTS = 1500;

export class LinePlot {
  private xs: number[] = [];
  private ys: number[] = [];
  private pending = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly title: string, private readonly log: boolean, private readonly color: string) {
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
    // log scale: non-positive values sit at the floor 1e-16
    const ys = this.ys.map((y) => (this.log ? Math.log10(Math.max(y, 1e-16)) : y)).filter(Number.isFinite);
    if (ys.length === 0) return;
    let lo = Math.min(...ys), hi = Math.max(...ys);
    if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) { lo -= 0.5; hi += 0.5; }
    const x0 = this.xs[0], x1 = Math.max(this.xs[this.xs.length - 1], x0 + 1);
    const fmt = (v: number) => (this.log ? Math.pow(10, v).toExponential(1) : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-2 ? v.toExponential(2) : v.toFixed(3));
    g.fillStyle = "#94a3b8";
    g.fillText(fmt(hi), 4, top + 9);
    g.fillText(fmt(lo), 4, bottom);
    g.fillText(`step ${this.xs[this.xs.length - 1]}`, right - 80, h - 4);
    g.strokeStyle = this.color;
    g.lineWidth = 1.5;
    g.beginPath();
    this.xs.forEach((x, i) => {
      const y = this.log ? Math.log10(Math.max(this.ys[i], 1e-16)) : this.ys[i];
      const px = left + ((x - x0) / (x1 - x0)) * (right - left);
      const py = bottom - ((y - lo) / (hi - lo)) * (bottom - top);
      if (i === 0) g.moveTo(px, py); else g.lineTo(px, py);
    });
    g.stroke();
  }
}
