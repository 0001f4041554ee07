// The browser benchmark: opens the app with ?bench=1 in headless Chromium and prints what it
// measured (engine samples/s in WASM, matrix-product GFLOP/s, frame times while training, time
// to the first chart and to the first bars, the first bars of a 100 × 512 network), plus the
// gzipped size of what the page transfers.
// Usage: node e2e/tools/bench.mjs [--peer] [--runs N] [URL]   (default: serves dist-bench/ itself,
// the app built with its benchmark: `trunk build --release --offline --features bench
// --dist dist-bench`, which this runs first; the sizes are dist/'s, the app everyone loads)
//   --peer    also trains the same MLPs and SimpleRNN with TensorFlow.js 4.22 (WebAssembly
//             backend) in the same Chromium session and prints gradscope's speed-up (installs
//             e2e/peer/ on first use)
//   --runs N  repeats everything N times and ends with the median and range of each figure
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, DIST, loadedLater } from './harness.mjs';
import { peerEpochs } from './peer.mjs';

const args = process.argv.slice(2);
const peer = args.includes('--peer');
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
const url = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
const BENCH_DIST = path.join(DIST, '..', 'dist-bench');
if (!url) {
  const { execFileSync } = await import('node:child_process');
  execFileSync('trunk', ['build', '--release', '--offline', '--features', 'bench', '--dist', BENCH_DIST],
    { cwd: path.join(DIST, '..'), stdio: 'inherit' });
}
const server = url ? null : await serve(BENCH_DIST);
const base = url ?? server.url;
const browser = await launch();

// Navigation to the first bars of the largest network offered, from a fresh page.
async function deepFirstBars() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${base}?depth=100&width=512`);
  await page.waitForFunction(() => performance.getEntriesByName('gradscope:first-bars').length > 0, null, { timeout: 60000 });
  const ms = await page.evaluate(() => performance.getEntriesByName('gradscope:first-bars')[0].startTime);
  await page.close();
  return ms;
}

async function once() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const t0 = Date.now();
  await page.goto(`${base}?bench=1`);
  await page.waitForSelector('#bench-results[data-done="true"]', { timeout: 300000 });
  const result = JSON.parse(await page.textContent('#bench-results'));
  result.wall_s = (Date.now() - t0) / 1000;
  await page.close();
  result.deep_first_bars_ms = await deepFirstBars();
  if (peer) {
    const tfjs = await peerEpochs(browser, result.engine.map((r) => r.network));
    result.peer = {
      ...tfjs,
      speedup: tfjs.results.map((p) => {
        const ours = result.engine.find((r) => r.network === p.network);
        return { network: p.network, gradscope_ms: ours.epoch_ms, tfjs_ms: p.epoch_ms, ratio: p.epoch_ms / ours.epoch_ms };
      }),
    };
  }
  return result;
}

function sizes() {
  const files = {};
  for (const f of fs.readdirSync(DIST, { recursive: true })) {
    const full = path.join(DIST, f);
    if (!fs.statSync(full).isFile()) continue;
    const raw = fs.readFileSync(full);
    files[f] = { bytes: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
  }
  // What the page loads at start: everything but what it fetches only when asked (the
  // clipping explainer, the script writer behind the code panel).
  const loaded = Object.entries(files).filter(([f]) => !loadedLater(f));
  return { transfer_gzip_bytes: loaded.reduce((a, [, s]) => a + s.gzip, 0), files };
}

// Each figure of interest, by name, from one run's result.
function figures(r) {
  const out = {
    first_chart_ms: r.first_chart_ms,
    first_bars_ms: r.first_bars_ms,
    deep_first_bars_ms: r.deep_first_bars_ms,
  };
  for (const e of r.engine) {
    out[`epoch_ms ${e.network}`] = e.epoch_ms;
    out[`epoch_ms_histograms ${e.network}`] = e.epoch_ms_histograms;
    out[`histogram_cost_pct ${e.network}`] = e.histogram_cost_pct;
    out[`samples_per_s ${e.network}`] = e.samples_per_second;
    out[`sample_steps_per_s ${e.network}`] = e.sample_steps_per_second;
  }
  for (const g of r.gemm) out[`gflops ${g.kernel} ${g.m}x${g.k}x${g.n}`] = g.gflops;
  for (const f of r.frames_while_training) {
    out[`frame_ms_median ${f.network}`] = f.frame_ms_median;
    out[`frame_ms_p95 ${f.network}`] = f.frame_ms_p95;
  }
  for (const s of r.peer?.speedup ?? []) {
    out[`tfjs_epoch_ms ${s.network}`] = s.tfjs_ms;
    out[`speedup_vs_tfjs ${s.network}`] = s.ratio;
  }
  return out;
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once());
const report = { runs: results, ...sizes() };
if (runs > 1) {
  const all = results.map(figures);
  report.summary = Object.fromEntries(Object.keys(all[0]).map((k) => {
    const v = all.map((f) => f[k]).filter((x) => typeof x === 'number').sort((a, b) => a - b);
    const round = (x) => Number(x.toPrecision(4));
    return [k, { median: round(v[Math.floor(v.length / 2)]), min: round(v[0]), max: round(v[v.length - 1]) }];
  }));
}
console.log(JSON.stringify(runs > 1 ? report : { ...results[0], ...sizes() }, null, 2));
await browser.close();
await server?.close();
