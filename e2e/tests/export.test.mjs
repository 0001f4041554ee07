// The Export menu in the real app: chart PNGs at twice the on-screen pixels, SVGs that parse
// and carry the charts' text, CSV and JSON with every epoch of every run, the share link on
// the clipboard; and tick labels that fit their axes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { serve, launch, watch, waitForEpochs, closeLesson } from '../tools/harness.mjs';

// One CSV line's fields (quoted fields may hold commas and doubled quotes).
function csvFields(line) {
  const out = [];
  let field = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(field); field = ''; }
    else field += ch;
  }
  out.push(field);
  return out;
}

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const CHARTS = ['bars', 'heatmap', 'loss', 'accuracy'];

// A page in a context that may download and use the clipboard.
async function open(query, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  const page = await context.newPage();
  const problems = watch(page, new URL(server.url).origin);
  await page.goto(`${server.url}?${query}`);
  if (/(^|&)lesson=/.test(query)) await closeLesson(page);
  return { page, problems, context };
}

// Clicks an export button and returns the downloaded file's name and bytes.
async function download(page, id) {
  if (!(await page.$eval('#export-menu', (d) => d.open))) await page.click('#export-menu > summary');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
  const bytes = await fs.readFile(await file.path());
  return { name: file.suggestedFilename(), bytes };
}

// Width and height from a PNG's IHDR chunk.
function pngSize(bytes) {
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', 'a PNG signature');
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

// Three runs (one diverges) trained to the end; returns each run's last epoch.
async function trained() {
  const opened = await open('lesson=init_scale&speed=fast&epochs=3');
  const { page } = opened;
  await waitForEpochs(page, 1);
  await page.click('#btn-play');
  await page.waitForFunction(() => ['finished', 'diverged'].includes(document.querySelector('.app').dataset.phase), null, { timeout: 60000 });
  await waitForEpochs(page, 2);
  await page.waitForTimeout(600); // the bars' animation and the deferred charts settle
  const runs = await page.$$eval('[data-run-summary]', (els) => els.map((e) => Number(e.dataset.epoch)));
  assert.equal(runs.length, 3);
  return { ...opened, runs };
}

// (Chromium may hold back an 11th download in quick succession: at most 10 per page here.)
test('chart exports: PNG at 2× the canvas pixels, SVG at the CSS size with the charts text; the link is copied', async () => {
  const { page, problems, context, runs } = await trained();

  // The keyboard reaches the menu: Tab to the summary, Enter opens it.
  await page.focus('#export-menu > summary');
  await page.keyboard.press('Enter');
  assert.ok(await page.$eval('#export-menu', (d) => d.open), 'Enter opens the menu');
  assert.ok(await page.$eval('#export-menu > summary', (s) => getComputedStyle(s).outlineStyle !== 'none'), 'visible focus');

  const svgs = {};
  for (const chart of CHARTS) {
    const screen = await page.$eval(`#chart-${chart}`, (c) => [c.width, c.height]);
    const png = await download(page, `export-${chart}-png`);
    // A lesson names the file (it says what the runs compare).
    assert.match(png.name, new RegExp(`^gradscope-init_scale-epoch\\d+-compare3-${chart}\\.png$`));
    assert.deepEqual(pngSize(png.bytes), [2 * screen[0], 2 * screen[1]], `${chart}: PNG is twice the canvas`);
    assert.ok(png.bytes.length > 5000, `${chart}: the PNG has content`);

    const svg = await download(page, `export-${chart}-svg`);
    assert.match(svg.name, new RegExp(`-${chart}\\.svg$`));
    const text = svg.bytes.toString('utf8');
    svgs[chart] = text;
    const parsed = await page.evaluate((t) => {
      const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
      const root = doc.documentElement;
      return {
        error: doc.querySelector('parsererror') !== null,
        root: root.nodeName,
        width: Number(root.getAttribute('width')),
        text: [...doc.querySelectorAll('text')].map((n) => n.textContent).join('|'),
      };
    }, text);
    assert.equal(parsed.error, false, `${chart}: the SVG parses`);
    assert.equal(parsed.root, 'svg');
    const css = await page.$eval(`#chart-${chart}`, (c) => c.clientWidth);
    assert.equal(parsed.width, css, `${chart}: SVG at the on-screen CSS size`);
    const expected = {
      bars: ['layer (input → output)', 'layer — epoch', 'out'],   // the title, long or short as the width allows
      heatmap: ['layer (input at bottom)', 'epoch', 'Run 3'],
      loss: ['Loss (cross-entropy)', 'loss (log scale)', 'epoch'],
      accuracy: ['Accuracy', '100%', 'epoch'],
    }[chart];
    for (const t of expected) assert.ok(parsed.text.includes(t), `${chart} SVG holds "${t}": ${parsed.text.slice(0, 300)}`);
    // The image carries its own legend: each run's number and what sets it apart; the
    // curves say which line is train and which validation.
    for (const run of ['Run 1', 'Run 2', 'Run 3', 'init small', 'init large'])
      assert.ok(parsed.text.includes(run), `${chart} SVG legend names "${run}": ${parsed.text.slice(-300)}`);
    if (chart === 'loss' || chart === 'accuracy') assert.ok(parsed.text.includes('validation'), `${chart}: line key`);
  }

  // The bars are exported at their targets: the SVG's caption names the epoch on screen
  // (the latest; a diverged run shows its last record).
  const shownEpoch = Math.max(...runs);
  // With three runs' narrow bars, the diverged run's NaN bars are outlined blocks, named there.
  assert.match(svgs.bars, new RegExp(`epoch ${shownEpoch}( \\(outlined blocks: NaN\\))?( · dashes: theory)?\\s*<`));

  // The share link.
  await page.click('#copy-link');
  await page.waitForFunction(() => document.querySelector('#export-status')?.textContent === 'Link copied');
  assert.ok(await page.isVisible('#export-status'), 'the confirmation shows');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), page.url());
  assert.deepEqual(problems, []);
  await context.close();
});

test('record exports: CSV and JSON hold every epoch of every run, JSON in the CLI\'s --json schema', async () => {
  const { page, problems, context, runs } = await trained();
  const csv = (await download(page, 'export-csv'));
  assert.match(csv.name, /-records\.csv$/);
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  const header = csvFields(lines[0]);
  const col = (n) => header.indexOf(n);
  for (const c of ['run', 'label', 'init', 'depth', 'epoch', 'train_loss', 'layer', 'grad_norm']) assert.ok(col(c) >= 0, `CSV column ${c}`);
  const rows = lines.slice(1).map(csvFields);
  const json = JSON.parse((await download(page, 'export-json')).bytes.toString('utf8'));
  assert.equal(json.runs.length, 3);
  for (let r = 0; r < 3; r++) {
    const last = runs[r];
    const epochsInCsv = new Set(rows.filter((x) => x[col('run')] === String(r + 1)).map((x) => Number(x[col('epoch')])));
    const recs = json.runs[r].records;
    assert.equal(json.runs[r].run, r + 1);
    assert.equal(typeof json.runs[r].config.depth, 'number');
    assert.deepEqual(recs.map((x) => x.epoch), [...Array(last + 1).keys()], `run ${r + 1}: every epoch in the JSON`);
    assert.deepEqual([...epochsInCsv].sort((a, b) => a - b), [...Array(last + 1).keys()], `run ${r + 1}: every epoch in the CSV`);
    // The CLI's --json schema.
    assert.deepEqual(Object.keys(recs[0]), ['epoch', 'train_loss', 'train_accuracy', 'val_loss', 'val_accuracy', 'status', 'layers', 'verdict', 'advice']);
    assert.deepEqual(Object.keys(recs[0].layers[0]), ['layer', 'grad_norm', 'clipped_grad_norm', 'delta_rms', 'weight_norm', 'update_ratio', 'act_mean', 'act_std', 'saturated', 'dead', 'hist']);
    // Each layer's distributions in the documented form (`gradscope train --histograms`).
    const act = recs[0].layers[0].hist.activation;
    assert.deepEqual(Object.keys(recs[0].layers[0].hist).sort(), ['activation', 'delta', 'gradient', 'preactivation', 'weight']);
    assert.equal(act.counts.length, act.edges.length - 1);
    assert.equal(act.percentiles.length, 9);
    // Every value counted once, in a bin or apart, as the worker's WebAssembly counted it: per
    // layer, each kernel's fan-in × units weights (and gradients), and the same validation
    // samples behind every layer's activations and inputs.
    const total = (h) => h.counts.reduce((a, b) => a + b, 0) + h.zeros + h.nans + h.infs;
    for (const rec of recs) {
      const layers = rec.layers.filter((l) => l.hist);
      if (layers.length !== rec.layers.length) continue; // a record without (a diverged step)
      const units = layers.map((l, i) => (i === layers.length - 1 ? 10 : json.runs[r].config.width));
      const samples = total(layers[0].hist.activation) / units[0];
      assert.ok(Number.isInteger(samples) && samples > 100, `run ${r + 1}: ${samples} validation samples`);
      layers.forEach((l, i) => {
        const at = `run ${r + 1}, epoch ${rec.epoch}, layer ${l.layer}`;
        assert.equal(total(l.hist.activation), samples * units[i], `${at}: activations`);
        assert.equal(total(l.hist.preactivation), samples * units[i], `${at}: inputs`);
        assert.equal(total(l.hist.weight), (i === 0 ? 64 : units[i - 1]) * units[i], `${at}: weights`);
        if (l.hist.gradient) assert.equal(total(l.hist.gradient), total(l.hist.weight), `${at}: gradient`);
        const p = l.hist.percentiles ?? l.hist.weight.percentiles;
        const ordered = p.filter((x) => x !== null).every((x, k, a) => k === 0 || a[k - 1] <= x);
        assert.ok(ordered, `${at}: the weights' percentiles ascend: ${p}`);
      });
    }
    assert.match(recs[0].verdict, /^(ready|vanishing|exploding|diverged)$/, 'epoch 0: nothing learned yet, never healthy');
    assert.ok(Array.isArray(recs[0].advice));
  }
  // The distributions, long: every bin count and percentile of every run, epoch and layer.
  const hist = await download(page, 'export-hist');
  assert.match(hist.name, /-distributions\.csv$/);
  const hrows = hist.bytes.toString('utf8').trim().split('\n');
  assert.equal(hrows[0], 'run,label,epoch,layer,quantity,what,lo,hi,value');
  for (const r of ['1', '2', '3']) assert.ok(hrows.some((l) => l.startsWith(`${r},`) && l.includes(',activation,bin,')), `run ${r} histograms`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a refused clipboard shows the link instead', async () => {
  const { page, problems, context } = await open('depth=3&width=8');
  await waitForEpochs(page, 1);
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await page.click('#export-menu > summary');
  await page.click('#copy-link');
  await page.waitForFunction(() => /copy this link/.test(document.querySelector('#export-status')?.textContent ?? ''));
  assert.ok((await page.textContent('#export-status')).includes(page.url()));
  assert.deepEqual(problems, []);
  await context.close();
});

// Tick labels never overlap: each axis reports how many labels it drew; neighbours are at
// least ~1.8 fonts apart, so count × font fits the plot's height.
for (const [query, viewport] of [
  ['theme=lecture&lesson=relu30_glorot', { width: 1280, height: 720 }],
  ['theme=lecture&depth=100&width=8', { width: 1920, height: 1080 }],
  ['depth=30&width=8', { width: 1280, height: 800 }],
]) {
  test(`tick labels fit their axes: ${query} at ${viewport.width}×${viewport.height}`, async () => {
    const { page, problems, context } = await open(query, viewport);
    await waitForEpochs(page, 1);
    await page.click('#btn-epoch');
    await waitForEpochs(page, 2);
    await page.waitForTimeout(600);
    const lecture = query.includes('lecture');
    for (const chart of CHARTS) {
      const d = await page.$eval(`#chart-${chart}`, (c) => ({
        x: Number(c.dataset.xLabels), y: Number(c.dataset.yLabels),
        plot: (c.dataset.plotPx ?? '').split(',').map(Number), font: Number(c.dataset.fontPx),
        css: parseFloat(getComputedStyle(c).fontSize), dpr: devicePixelRatio,
      }));
      assert.equal(d.css, lecture ? 17 : 12.5, `${chart}: the CSS sets the font`);
      assert.equal(d.font, d.css * d.dpr, `${chart}: the chart draws at the CSS font`);
      assert.ok(d.y >= 1 && d.x >= 1, `${chart}: labels drawn ${JSON.stringify(d)}`);
      assert.ok(d.y * d.font <= d.plot[1], `${chart}: ${d.y} y labels × ${d.font} px fit ${d.plot[1]} px`);
      assert.ok(d.x * d.font * 1.2 <= d.plot[0], `${chart}: ${d.x} x labels fit ${d.plot[0]} px`);
      if (chart === 'bars' && query.includes('depth=100')) assert.ok(d.x < 101, 'not one label per layer at depth 100');
      if (chart === 'heatmap' && query.includes('depth=')) assert.ok(d.y < 31, 'layer labels thinned');
    }
    if (viewport.height === 720) {
      const acc = await page.$eval('#chart-accuracy', (c) => Number(c.dataset.yLabels));
      assert.ok(acc >= 2 && acc <= 3, `a short accuracy chart shows 2–3 labels, not ${acc}`);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}
