// The browser benchmark: opens the app with ?bench=1 in headless Chromium and prints what it
// measured (engine samples/s in WASM, frame times while training, time to first chart), plus
// the gzipped size of what the page transfers.
// Usage: node e2e/tools/bench.mjs [--peer] [URL]   (default: serves dist/ itself)
//   --peer  also trains the same MLP with TensorFlow.js 4.22 (WebAssembly backend) in the same
//           Chromium session and prints gradscope's speed-up (installs e2e/peer/ on first use)
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, DIST } from './harness.mjs';
import { peerEpochs } from './peer.mjs';

const args = process.argv.slice(2);
const peer = args.includes('--peer');
const url = args.find((a) => !a.startsWith('--'));
const server = url ? null : await serve();
const base = url ?? server.url;
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
if (peer) {
  await page.close();
  const sizesRun = result.engine.map((r) => [r.depth, r.width]);
  const tfjs = await peerEpochs(browser, sizesRun);
  result.peer = {
    ...tfjs,
    speedup: tfjs.results.map((p) => {
      const ours = result.engine.find((r) => r.depth === p.depth && r.width === p.width);
      return { depth: p.depth, width: p.width, gradscope_ms: ours.epoch_ms, tfjs_ms: p.epoch_ms, ratio: p.epoch_ms / ours.epoch_ms };
    }),
  };
}
console.log(JSON.stringify(result, null, 2));
await browser.close();
await server?.close();
