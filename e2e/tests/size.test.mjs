// The size budget: what the page loads at start (everything in dist/ but what it fetches only
// when first asked) stays within 520 KB gzipped. The same reckoning as tools/bench.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DIST, loadedLater as lazy } from '../tools/harness.mjs';

const BUDGET = 520_000;

test('the page loads at most 520 KB gzipped at start; the lesson player, the code writer and the explainer come later', () => {
  const files = fs.readdirSync(DIST, { recursive: true })
    .filter((f) => !f.startsWith('.') && fs.statSync(path.join(DIST, f)).isFile());
  const loaded = files.filter((f) => !lazy(f));
  const gz = (f) => zlib.gzipSync(fs.readFileSync(path.join(DIST, f)), { level: 9 }).length;
  const total = loaded.reduce((a, f) => a + gz(f), 0);
  assert.ok(loaded.some((f) => /^gradscope-web-.*_bg\.wasm$/.test(f)) && loaded.some((f) => f === 'gradscope-worker_bg.wasm'),
    `both WebAssembly modules are counted: ${loaded.join(', ')}`);
  assert.ok(total <= BUDGET, `${total} B gzipped at start, over the ${BUDGET} B budget: ${loaded.map((f) => `${f} ${gz(f)}`).join(', ')}`);
  // What is left out really is fetched later, not at start.
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  for (const f of files.filter(lazy).filter((f) => !f.includes(path.sep) && !f.includes('/'))) {
    if (f.endsWith('.css') || f.endsWith('.js') || f.endsWith('.wasm')) {
      assert.ok(!html.includes(`href=./${f}`) && !html.includes(`href="./${f}"`) && !html.includes(`src=./${f}`), `${f} is linked from index.html`);
    }
  }
});
