// The peer in the same browser session: the same MLP (ReLU, He normal, batch 32, SGD 0.02,
// softmax cross-entropy) trained for one epoch of the digits' 1 437 training samples with
// TensorFlow.js 4.22 and its WebAssembly backend (SIMD, single thread, as gradscope's worker).
// TensorFlow.js lives in e2e/peer/ (its own package, installed on first use): never in the app,
// never in the tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PEER = path.resolve(here, '..', 'peer');
const DIGITS = path.resolve(here, '..', '..', 'data', 'digits.csv.gz');

function install() {
  if (!fs.existsSync(path.join(PEER, 'node_modules', '@tensorflow', 'tfjs-backend-wasm'))) {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEER, stdio: 'inherit' });
  }
}

// A folder holding the page and TensorFlow.js' files, served from one origin.
function site() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-peer-'));
  const tfjs = path.join(PEER, 'node_modules', '@tensorflow');
  fs.symlinkSync(path.join(tfjs, 'tfjs', 'dist', 'tf.min.js'), path.join(dir, 'tf.min.js'));
  const wasm = path.join(tfjs, 'tfjs-backend-wasm', 'dist');
  for (const f of ['tf-backend-wasm.min.js', 'tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'])
    fs.symlinkSync(path.join(wasm, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'index.html'),
    '<!DOCTYPE html><meta charset="utf-8"><title>peer</title><script src="tf.min.js"></script><script src="tf-backend-wasm.min.js"></script>');
  return dir;
}

// The first 1 437 digits (as many samples as gradscope's training split), pixels in [0, 1].
function digits() {
  const rows = zlib.gunzipSync(fs.readFileSync(DIGITS)).toString('utf8').trim().split('\n').slice(0, 1437);
  const x = [], y = [];
  for (const r of rows) {
    const v = r.split(',').map(Number);
    x.push(...v.slice(0, 64).map((p) => p / 16));
    y.push(v[64]);
  }
  return { x, y };
}

/** Median ms of one training epoch per (depth, width), and the backend TensorFlow.js used. */
export async function peerEpochs(browser, sizes, repeats = 3) {
  install();
  const dir = site();
  const server = await serve(dir);
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const data = digits();
    const out = await page.evaluate(async ({ data, sizes, repeats }) => {
      tf.wasm.setWasmPaths('./');
      await tf.setBackend('wasm');
      await tf.ready();
      const n = data.y.length;
      const xs = tf.tensor2d(data.x, [n, 64]);
      const ys = tf.tensor1d(data.y, 'float32');
      const results = [];
      for (const [depth, width] of sizes) {
        const model = tf.sequential();
        for (let i = 0; i < depth; i++)
          model.add(tf.layers.dense({ units: width, activation: 'relu', kernelInitializer: 'heNormal', ...(i === 0 ? { inputShape: [64] } : {}) }));
        model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'heNormal' }));
        model.compile({ optimizer: tf.train.sgd(0.02), loss: 'sparseCategoricalCrossentropy' });
        await model.fit(xs, ys, { batchSize: 32, epochs: 1, shuffle: true, verbose: 0 }); // warm-up
        const times = [];
        for (let k = 0; k < repeats; k++) {
          const t0 = performance.now();
          await model.fit(xs, ys, { batchSize: 32, epochs: 1, shuffle: true, verbose: 0 });
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        results.push({ depth, width, epoch_ms: times[Math.floor(times.length / 2)], samples_per_second: n / (times[Math.floor(times.length / 2)] / 1000) });
        model.dispose();
      }
      return { backend: tf.getBackend(), version: tf.version.tfjs, results };
    }, { data, sizes, repeats });
    await page.close();
    return out;
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
