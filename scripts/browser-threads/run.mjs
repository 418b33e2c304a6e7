// Manual check of the browser paths of the threads (not part of npm test: it needs a Chromium).
// Serves dist/ and two pages, with and without cross-origin isolation, opens each in headless
// Chromium and prints what the pages report. Usage: npm run build && node scripts/browser-threads/run.mjs [chromium]
//   isolated page:    main-thread engine -> one thread with a notice; in a Web Worker threads 1, 2, 3
//                     -> bitwise equal; runBatch pool -> equal to the sequential runner
//   non-isolated page: one thread everywhere, with the SharedArrayBuffer notice
import { createServer } from "node:http";
import { readFileSync, existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { extname, join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const dist = new URL("../../dist/", import.meta.url).pathname;
const browser = process.argv[2] ?? "chromium";
const server = createServer((req, res) => {
  const [path, query = ""] = req.url.split("?");
  const file = path.startsWith("/dist/") ? join(dist, path.slice(6)) : join(here, path.slice(1) || "page.html");
  if (!existsSync(file)) { res.writeHead(404); res.end(); return; }
  const headers = { "content-type": extname(file) === ".html" ? "text/html" : "text/javascript" };
  if (!query.includes("plain")) Object.assign(headers, { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
  res.writeHead(200, headers);
  res.end(readFileSync(file));
});
await new Promise((r) => server.listen(0, r));
const port = server.address().port;

for (const page of ["page.html", "page.html?plain"]) {
  console.log(`--- http://localhost:${port}/${page}`);
  const chrome = spawn(browser, ["--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", `http://localhost:${port}/${page}`]);
  let seen = 0;
  await new Promise((resolve) => {
    const timer = setTimeout(() => { console.log("(timed out)"); chrome.kill(); }, 60000);
    chrome.stderr.on("data", (b) => {
      for (const m of String(b).matchAll(/CONSOLE[^"]*"([^"]*)"/g)) {
        console.log(m[1]);
        if (m[1].startsWith("RESULT worker batch") || m[1].startsWith("RESULT worker error")) seen++;
      }
      if (seen > 0) { clearTimeout(timer); chrome.kill(); }
    });
    chrome.on("exit", resolve);
    chrome.on("error", (e) => { console.log(`cannot start ${browser}: ${e.message}`); clearTimeout(timer); resolve(); });
  });
}
server.close();
