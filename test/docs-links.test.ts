// Every link and image in the README and docs/ resolves inside the repository: a file that exists,
// and for "#anchor" a heading of that file (GitHub's slugs). No link leaves the repository.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import GithubSlugger from "github-slugger";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..");
const md = new MarkdownIt({ html: true });
const pages = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** Every link target and image source of a markdown file (code blocks and spans excluded). */
function targets(file: string): string[] {
  const found: string[] = [];
  const walk = (tokens: ReturnType<typeof md.parse>): void => {
    for (const t of tokens) {
      if (t.type === "link_open") found.push(t.attrGet("href") ?? "");
      if (t.type === "image") found.push(t.attrGet("src") ?? "");
      if (t.children) walk(t.children);
    }
  };
  walk(md.parse(readFileSync(join(root, file), "utf8"), {}));
  return found;
}

/** The anchors GitHub gives the headings of a markdown file. */
function anchors(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const out = new Set<string>();
  for (const t of md.parse(readFileSync(file, "utf8"), {}).filter((t, k, all) => k > 0 && all[k - 1].type === "heading_open" && t.type === "inline")) {
    out.add(slugger.slug((t.children ?? []).map((c) => c.content).join("")));
  }
  return out;
}

describe("links in the README and docs/", () => {
  it.each(pages)("%s: every link resolves inside the repository", (page) => {
    const broken: string[] = [];
    for (const target of targets(page)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
        broken.push(`${target} (leaves the repository)`);
        continue;
      }
      const [path, anchor] = target.split("#");
      const file = path === "" ? join(root, page) : resolve(dirname(join(root, page)), decodeURIComponent(path));
      if (relative(root, file).startsWith("..")) broken.push(`${target} (outside the repository)`);
      else if (!existsSync(file)) broken.push(`${target} (no such file)`);
      else if (anchor !== undefined && (!file.endsWith(".md") || statSync(file).isDirectory() || !anchors(file).has(anchor))) broken.push(`${target} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });

  it("the pages link each other: every docs page is reachable from the README", () => {
    const seen = new Set<string>(["README.md"]);
    const queue = ["README.md"];
    while (queue.length > 0) {
      const page = queue.shift()!;
      for (const target of targets(page)) {
        const path = target.split("#")[0];
        if (!path.endsWith(".md")) continue;
        const rel = relative(root, resolve(dirname(join(root, page)), path));
        if (!seen.has(rel) && existsSync(join(root, rel))) { seen.add(rel); queue.push(rel); }
      }
    }
    expect(pages.filter((p) => !seen.has(p))).toEqual([]);
  });

  it("no page names a file outside the repository, and the README is a front page", () => {
    for (const page of pages) expect(readFileSync(join(root, page), "utf8"), page).not.toMatch(/\.\.\/shared|shared\/MODEL\.md|MODEL\.md/);
    expect(readFileSync(join(root, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(250);
  });
});
