// Manual check that more threads are never slower than one in the browser (not part of npm test:
// it needs a Chromium): serves dist/ on a cross-origin isolated page, runs speed-worker.js in a Web
// Worker in headless Chromium and prints its Heun steps/s for 1, 2 and all threads at n = 1024 and
// 4096 on the demo's baseline. Usage: npm run build && node scripts/browser-threads/speed.mjs [chromium]
import { createServer } from "node:http";
import { readFileSync, existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { extname, join } from "node:path";
import { loadavg } from "node:os";

const here = new URL(".", import.meta.url).pathname;
const dist = new URL("../../dist/", import.meta.url).pathname;
const browser = process.argv[2] ?? "chromium";
const page = `<!doctype html><html><body><script type="module">
const w = new Worker("/speed-worker.js", { type: "module" });
w.onmessage = (m) => console.log("RESULT " + m.data);
w.onerror = (m) => console.log("RESULT error " + m.message);
console.log("RESULT crossOriginIsolated " + self.crossOriginIsolated + ", hardwareConcurrency " + navigator.hardwareConcurrency);
</script></body></html>`;
const server = createServer((req, res) => {
  const path = req.url.split("?")[0];
  const headers = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
  if (path === "/" || path === "/speed.html") {
    res.writeHead(200, { ...headers, "content-type": "text/html" });
    res.end(page);
    return;
  }
  const file = path.startsWith("/dist/") ? join(dist, path.slice(6)) : join(here, path.slice(1));
  if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { ...headers, "content-type": extname(file) === ".html" ? "text/html" : "text/javascript" });
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, r));
console.log(`load average before: ${loadavg()[0].toFixed(2)}`);
const chrome = spawn(browser, ["--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", `http://localhost:${server.address().port}/speed.html`]);
await new Promise((resolve) => {
  const timer = setTimeout(() => { console.log("(timed out)"); chrome.kill(); }, 600000);
  chrome.stderr.on("data", (b) => {
    for (const m of String(b).matchAll(/CONSOLE[^"]*"RESULT ([^"]*)"/g)) {
      console.log(m[1]);
      if (m[1] === "done" || m[1].startsWith("error")) { clearTimeout(timer); chrome.kill(); }
    }
  });
  chrome.on("exit", resolve);
  chrome.on("error", (e) => { console.log(`cannot start ${browser}: ${e.message}`); clearTimeout(timer); resolve(); });
});
console.log(`load average after: ${loadavg()[0].toFixed(2)}`);
server.close();
