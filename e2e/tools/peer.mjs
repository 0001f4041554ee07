// The peer in the same browser session: the same networks trained for one epoch of 1 437
// samples with TensorFlow.js 4.22 and its WebAssembly backend (SIMD, single thread, as
// gradscope's worker), batch 32, softmax cross-entropy:
// - "DxW": an MLP of D ReLU layers of W units, He normal, SGD 0.02, on the digits;
// - "rnn TN U": a SimpleRNN (tanh, Glorot-uniform input kernel, orthogonal recurrent kernel)
//   of U units on delayed digits of N steps (8 rows, then N(0, 0.4²) noise), SGD 0.02.
// Other labels (the LSTM) have no peer here.
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
    // npm's messages go to stderr: stdout carries the benchmark's JSON.
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEER, stdio: ['ignore', 2, 2] });
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

/** Median ms of one training epoch per network label, and the backend TensorFlow.js used. */
export async function peerEpochs(browser, networks, repeats = 3) {
  install();
  const dir = site();
  const server = await serve(dir);
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    const data = digits();
    const out = await page.evaluate(async ({ data, networks, repeats }) => {
      tf.wasm.setWasmPaths('./');
      await tf.setBackend('wasm');
      await tf.ready();
      const n = data.y.length;
      const ys = tf.tensor1d(data.y, 'float32');
      // Delayed digits: each image's 8 rows, then Gaussian noise (Box-Muller) to `steps` steps.
      const delayed = (steps) => {
        const x = new Float32Array(n * steps * 8);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < steps * 8; k++) {
            const u = 1 - Math.random(), v = Math.random();
            x[i * steps * 8 + k] = k < 64 ? data.x[i * 64 + k] : 0.4 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
          }
        }
        return tf.tensor3d(x, [n, steps, 8]);
      };
      const results = [];
      for (const network of networks) {
        const mlp = network.match(/^(\d+)x(\d+)$/);
        const rnn = network.match(/^rnn T(\d+) (\d+)$/);
        if (!mlp && !rnn) continue;
        const model = tf.sequential();
        let xs;
        if (mlp) {
          const [depth, width] = [Number(mlp[1]), Number(mlp[2])];
          xs = tf.tensor2d(data.x, [n, 64]);
          for (let i = 0; i < depth; i++)
            model.add(tf.layers.dense({ units: width, activation: 'relu', kernelInitializer: 'heNormal', ...(i === 0 ? { inputShape: [64] } : {}) }));
          model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'heNormal' }));
          model.compile({ optimizer: tf.train.sgd(0.02), loss: 'sparseCategoricalCrossentropy' });
        } else {
          const [steps, units] = [Number(rnn[1]), Number(rnn[2])];
          xs = delayed(steps);
          model.add(tf.layers.simpleRNN({ units, activation: 'tanh', kernelInitializer: 'glorotUniform', recurrentInitializer: 'orthogonal', inputShape: [steps, 8] }));
          model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: 'glorotUniform' }));
          model.compile({ optimizer: tf.train.sgd(0.02), loss: 'sparseCategoricalCrossentropy' });
        }
        await model.fit(xs, ys, { batchSize: 32, epochs: 1, shuffle: true, verbose: 0 }); // warm-up
        const times = [];
        for (let k = 0; k < repeats; k++) {
          const t0 = performance.now();
          await model.fit(xs, ys, { batchSize: 32, epochs: 1, shuffle: true, verbose: 0 });
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        const median = times[Math.floor(times.length / 2)];
        results.push({ network, epoch_ms: median, samples_per_second: n / (median / 1000) });
        model.dispose();
        xs.dispose();
      }
      return { backend: tf.getBackend(), version: tf.version.tfjs, results };
    }, { data, networks, repeats });
    await page.close();
    return out;
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
