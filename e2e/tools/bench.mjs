// The browser benchmark: opens the app with ?bench=1 in headless Chromium and prints what it
// measured (engine samples/s in WASM, frame times while training, time to first chart), plus
// the gzipped size of what the page transfers.
// Usage: node e2e/tools/bench.mjs [URL]   (default: serves dist/ itself)
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, DIST } from './harness.mjs';

const server = process.argv[2] ? null : await serve();
const base = process.argv[2] ?? server.url;
const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
const t0 = Date.now();
await page.goto(`${base}?bench=1`);
await page.waitForSelector('#bench-results[data-done="true"]', { timeout: 300000 });
const result = JSON.parse(await page.textContent('#bench-results'));
result.wall_s = (Date.now() - t0) / 1000;
const sizes = {};
for (const f of fs.readdirSync(DIST)) {
  const raw = fs.readFileSync(path.join(DIST, f));
  sizes[f] = { bytes: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
}
result.transfer_gzip_bytes = Object.values(sizes).reduce((a, s) => a + s.gzip, 0);
result.files = sizes;
console.log(JSON.stringify(result, null, 2));
await browser.close();
await server?.close();
