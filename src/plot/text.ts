// Chart text: widths for layout (so a rendered SVG is as wide as its content) and the
// sub/superscript markup `_{...}` / `^{...}` drawn as shifted, smaller tspans.

/**
 * Advance widths of DejaVu Sans (regular and bold), in thousandths of an em, for the printable
 * ASCII characters 32..126 (measured from the font with resvg). DejaVu Sans is the widest of the
 * common sans-serif faces, so text laid out with these widths is not clipped in Arial, Helvetica
 * or Liberation Sans either.
 */
const ASCII = {
  regular: [318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 709, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 595, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 344, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 395, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838],
  bold: [348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 680, 703, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 405, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838],
};

/** Widths (thousandths of an em, regular/bold) of the non-ASCII characters the figures use. */
const WIDE = 838;
const OTHER: Record<string, [number, number]> = {
  "±": [WIDE, WIDE], "−": [WIDE, WIDE], "×": [WIDE, WIDE], "≤": [WIDE, WIDE], "≥": [WIDE, WIDE], "…": [1000, 1000],
  "β": [638, 716], "τ": [602, 638], "φ": [660, 782], "θ": [612, 687], "λ": [592, 652], "∝": [714, 712], "√": [637, 667],
  "·": [318, 380], "⟨": [390, 457], "⟩": [390, 457], "⁻": [528, 528], "ₓ": [444, 413], "ₙ": [398, 456], "ₛ": [373, 381], "ᵝ": [402, 451],
};
/** Superscript and subscript digits. */
const SCRIPT_DIGIT: [number, number] = [401, 438];
/** Any other character: wider than most letters, so an estimate errs on the wide side. */
const FALLBACK: [number, number] = [700, 760];
/** Script size relative to the text around it, and the baseline shift in ems of the text. */
const SCRIPT_SCALE = 0.7;
const SUB_SHIFT = 0.25;
const SUPER_SHIFT = -0.4;

const SCRIPT = /([_^])\{([^{}]*)\}/g;

function charWidth(ch: string, bold: boolean): number {
  const code = ch.codePointAt(0)!;
  const w = bold ? 1 : 0;
  if (code >= 32 && code < 127) return (bold ? ASCII.bold : ASCII.regular)[code - 32];
  if (code >= 0x300 && code < 0x370) return 0; // combining marks (e.g. the bar of x̄)
  if ((code >= 0x2070 && code <= 0x2079) || (code >= 0x2080 && code <= 0x2089) || code === 0xb2 || code === 0xb3 || code === 0xb9) return SCRIPT_DIGIT[w];
  return (OTHER[ch] ?? FALLBACK)[w];
}

function plainWidth(text: string, fontSize: number, bold: boolean): number {
  let em = 0;
  for (const ch of text) em += charWidth(ch, bold);
  return (em / 1000) * fontSize;
}

/**
 * Width in pixels of one line of chart text at `fontSize` pixels, in DejaVu Sans metrics, with
 * `_{...}` and `^{...}` measured at script size (see `renderScriptMarkup`).
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let width = 0, last = 0;
  for (const m of text.matchAll(SCRIPT)) {
    width += plainWidth(text.slice(last, m.index), fontSize, bold) + plainWidth(m[2], fontSize * SCRIPT_SCALE, bold);
    last = m.index! + m[0].length;
  }
  return width + plainWidth(text.slice(last), fontSize, bold);
}

/**
 * Rewrites `_{...}` (subscript) and `^{...}` (superscript) inside the `<text>` elements of an SVG
 * document as smaller tspans shifted with `dy`, which every SVG renderer draws (browsers, resvg),
 * and as `_z` / `^2` in aria-label attributes. Text without the markup is left as it is.
 */
export function renderScriptMarkup(svg: string): string {
  // accessible names read the script as plain text: "G_{z}" -> "G_z"
  const named = svg.replace(/aria-label="[^"]*"/g, (label) => label.replace(/([_^])\{([^{}]*)\}/g, "$1$2"));
  return named.replace(/(<text\b[^>]*>)([\s\S]*?)<\/text>/g, (whole, open: string, inner: string) => {
    if (!/[_^]\{[^{}<]*\}/.test(inner)) return whole;
    const size = Number(/font-size="([\d.]+)px"/.exec(open)?.[1] ?? 11);
    // each run of characters (the text, or one line's tspan) on its own
    return open + inner.replace(/(^|>)([^<]+)/g, (_, lead: string, run: string) => lead + scriptRun(run, size)) + "</text>";
  });
}

/** One run of text with its scripts as tspans, each placed by the dy from the run before it. */
function scriptRun(body: string, size: number): string {
  const small = round(size * SCRIPT_SCALE);
  let offset = 0, out = "", last = 0;
  const run = (text: string, shift: number, attrs: string): void => {
    if (!text) return;
    const dy = round(shift - offset);
    offset = shift;
    out += dy === 0 && !attrs ? text : `<tspan${dy !== 0 ? ` dy="${dy}"` : ""}${attrs}>${text}</tspan>`;
  };
  for (const m of body.matchAll(SCRIPT)) {
    run(body.slice(last, m.index), 0, "");
    run(m[2], size * (m[1] === "_" ? SUB_SHIFT : SUPER_SHIFT), ` font-size="${small}px"`);
    last = m.index! + m[0].length;
  }
  run(body.slice(last), 0, "");
  return out;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
