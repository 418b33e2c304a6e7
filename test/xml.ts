// A small strict XML reader for tests: throws on unbalanced or malformed tags, unquoted
// attributes, raw '<' or a bare '&' in text, and returns the element tree with entities decoded.

/** One XML element: name, attributes (entities decoded), children and direct text. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  return s.replace(/&([^;\s&<]*);?/g, (m, name: string) => {
    if (!m.endsWith(";")) throw new Error(`bare '&' near offset ${where}`);
    if (name in ENTITY) return ENTITY[name];
    if (/^#\d+$/.test(name)) return String.fromCodePoint(Number(name.slice(1)));
    if (/^#x[0-9a-fA-F]+$/.test(name)) return String.fromCodePoint(parseInt(name.slice(2), 16));
    throw new Error(`unknown entity &${name}; near offset ${where}`);
  });
}

/** Parse a whole document with exactly one root element. */
export function parseXml(src: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    const text = lt < 0 ? src.slice(i) : src.slice(i, lt);
    if (text.includes(">")) throw new Error(`raw '>' in text near offset ${i}`);
    stack[stack.length - 1].text += decode(text, i);
    if (lt < 0) break;
    if (src.startsWith("<!--", lt)) {
      const end = src.indexOf("-->", lt);
      if (end < 0) throw new Error("unclosed comment");
      i = end + 3;
      continue;
    }
    if (src.startsWith("<?", lt)) {
      const end = src.indexOf("?>", lt);
      if (end < 0) throw new Error("unclosed processing instruction");
      i = end + 2;
      continue;
    }
    const gt = src.indexOf(">", lt);
    if (gt < 0) throw new Error(`unclosed tag at offset ${lt}`);
    const body = src.slice(lt + 1, gt);
    if (body.includes("<")) throw new Error(`'<' inside tag at offset ${lt}`);
    if (body.startsWith("/")) {
      const name = body.slice(1).trim();
      const open = stack.pop()!;
      if (open.name !== name) throw new Error(`</${name}> closes <${open.name}> at offset ${lt}`);
      i = gt + 1;
      continue;
    }
    const selfClosing = body.endsWith("/");
    const inner = selfClosing ? body.slice(0, -1) : body;
    const m = /^([A-Za-z_][\w:.-]*)/.exec(inner);
    if (!m) throw new Error(`bad tag name at offset ${lt}`);
    const el: XmlElement = { name: m[1], attrs: {}, children: [], text: "" };
    let rest = inner.slice(m[1].length);
    const attr = /^\s+([A-Za-z_][\w:.-]*)="([^"]*)"|^\s+([A-Za-z_][\w:.-]*)='([^']*)'/;
    for (;;) {
      const a = attr.exec(rest);
      if (!a) break;
      const key = a[1] ?? a[3];
      if (key in el.attrs) throw new Error(`duplicate attribute ${key} at offset ${lt}`);
      el.attrs[key] = decode(a[2] ?? a[4], lt);
      rest = rest.slice(a[0].length);
    }
    if (rest.trim() !== "") throw new Error(`malformed attributes ${JSON.stringify(rest.slice(0, 40))} at offset ${lt}`);
    stack[stack.length - 1].children.push(el);
    if (!selfClosing) stack.push(el);
    i = gt + 1;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) throw new Error(`${root.children.length} root elements`);
  if (root.text.trim() !== "") throw new Error("text outside the root element");
  return root.children[0];
}

/** Every element below (and including) `el` for which `pred` holds, in document order. */
export function findAll(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    if (pred(e)) out.push(e);
    e.children.forEach(walk);
  };
  walk(el);
  return out;
}

/** All text inside `el`, depth first. */
export function allText(el: XmlElement): string {
  return el.text + el.children.map(allText).join("");
}

/** Elements whose class list contains every class given. */
export const hasClass = (...cls: string[]) => (e: XmlElement) => {
  const list = (e.attrs.class ?? "").split(/\s+/);
  return cls.every((c) => list.includes(c));
};
