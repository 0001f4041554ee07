// End-to-end: the real app in headless Chromium, driven as a student would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, openPage, epochs, waitForEpochs, query, pixels, barLog10, closeLesson } from '../tools/harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('loads with no console error and measures the initial network', async () => {
  const { page, problems } = await openPage(browser, server.url);
  await waitForEpochs(page, 1);
  assert.equal(await page.$eval('#chart-bars', (c) => c.getAttribute('data-epoch')), '0');
  const bars = await barLog10(page);
  assert.equal(bars.length, 11, 'ten hidden layers and the output layer');
  assert.ok(bars.every((v) => typeof v === 'number' && v > -3 && v < 2), `He/ReLU bars in range: ${bars}`);
  // Nothing is learned at epoch 0: balanced gradients are "ready", never "healthy".
  assert.match(await page.textContent('#verdict'), /Ready to learn/);
  // The numbers behind the bars: one row per layer, the same ‖∂L/∂W‖ as the bar chart.
  assert.equal(await page.$$eval('#layer-table tbody tr', (trs) => trs.length), 0, 'closed: no rows built');
  await page.click('#layer-table summary');
  await page.waitForFunction(() => document.querySelectorAll('#layer-table tbody tr').length === 11);
  const rows = await page.$$eval('#layer-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  assert.equal(rows.length, 11);
  assert.equal(rows[10][0], 'out');
  rows.forEach((r, i) => {
    const shown = Number(r[1]);
    assert.ok(Math.abs(Math.log10(shown) - bars[i]) < 0.01, `row ${i + 1}: ${r[1]} vs 10^${bars[i]}`);
  });
  for (const id of ['chart-bars', 'chart-heatmap', 'chart-loss', 'chart-accuracy']) {
    const size = await page.$eval(`#${id}`, (c) => [c.width, c.height]);
    assert.ok(size[0] > 100 && size[1] > 100, `${id} has a size`);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('play advances epochs and redraws the charts; pause stops them', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=20&width=64&epochs=1000`);
  await waitForEpochs(page, 1);
  const before = { bars: await pixels(page, 'chart-bars'), loss: await pixels(page, 'chart-loss') };
  await page.click('#btn-play');
  await waitForEpochs(page, 4);
  await page.waitForTimeout(400); // let the bar animation settle
  assert.notEqual(await pixels(page, 'chart-bars'), before.bars, 'bars redrawn');
  assert.notEqual(await pixels(page, 'chart-loss'), before.loss, 'loss curve redrawn');
  await page.click('#btn-play');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'paused');
  const n = await epochs(page);
  await page.waitForTimeout(1500);
  assert.ok((await epochs(page)) <= n + 1, 'at most the epoch in flight completes after pause');
  const m = await epochs(page);
  await page.waitForTimeout(1000);
  assert.equal(await epochs(page), m, 'nothing more after that');
  assert.match(await page.textContent('#phase-chip'), /paused/);
  // Keyboard: Space plays again, one epoch button adds exactly one record.
  await page.keyboard.press('Space');
  await waitForEpochs(page, m + 1);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'paused');
  await page.waitForTimeout(500);
  const k = await epochs(page);
  await page.click('#btn-epoch');
  await waitForEpochs(page, k + 1);
  await page.waitForTimeout(800);
  assert.equal(await epochs(page), k + 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('every control changes the run configuration (and the link)', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=16`);
  await waitForEpochs(page, 1);
  const selects = [
    ['#ctl-dataset', 'spiral', 'dataset'],
    ['#ctl-init', 'lecun_normal', 'init'],
    ['#ctl-activation', 'elu', 'activation'],
    ['#ctl-batch-norm', 'after', 'batch_norm'],
    ['#ctl-optimizer', 'adam', 'optimizer'],
    ['#ctl-clip', 'global_clipnorm', 'clip'],
    ['#ctl-l2', '0.0001', 'l2'],
  ];
  for (const [sel, value, key, inUrl = value] of selects) {
    await page.selectOption(sel, value);
    await page.waitForFunction(([k, v]) => new URL(location.href).searchParams.get(k) === v, [key, inUrl]);
  }
  const numbers = [['#ctl-depth', '7', 'depth'], ['#ctl-width', '24', 'width'], ['#ctl-batch-size', '64', 'batch_size'], ['#ctl-epochs', '3', 'epochs'], ['#ctl-seed', '42', 'seed'], ['#ctl-clip-at', '2.5', 'clip_at']];
  for (const [sel, value, key] of numbers) {
    await page.fill(sel, value);
    await page.press(sel, 'Enter');
    await page.$eval(sel, (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
    await page.waitForFunction(([k, v]) => new URL(location.href).searchParams.get(k) === v, [key, value]);
  }
  // Range inputs: the learning rate on its log scale, the noise of the 2-D sets.
  for (const [sel, pos, key, want] of [['#ctl-lr', '-2', 'lr', '0.01'], ['#ctl-noise', '0.5', 'noise', '0.5']]) {
    await page.$eval(sel, (el, v) => { el.value = v; el.dispatchEvent(new Event('change', { bubbles: true })); }, pos);
    await page.waitForFunction(([k, v]) => new URL(location.href).searchParams.get(k) === v, [key, want]);
  }
  assert.equal(await page.textContent('#lr-value'), '0.0100');
  // The structural changes built a new run with the new shape: 7 hidden layers + output.
  await page.waitForFunction(() => JSON.parse(document.querySelector('#chart-bars').dataset.log10 ?? '[]').length === 8);
  // Out-of-range input is clamped to the nearest allowed value, with a message; text is refused.
  await page.fill('#ctl-depth', '500');
  await page.$eval('#ctl-depth', (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  await page.waitForSelector('#error-notice');
  assert.match(await page.textContent('#error-notice'), /1 to 100: using 100/);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('depth') === '100');
  await page.fill('#ctl-width', '');
  await page.$eval('#ctl-width', (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  await page.waitForFunction(() => /not a number/.test(document.querySelector('#error-notice')?.textContent ?? ''));
  assert.equal(query(page).get('width'), '24');
  assert.equal(await page.inputValue('#ctl-width'), '24', 'the field shows the value in force again');
  // The gradient measure and the theme are part of the view, and of the link.
  await page.click('#metric-delta');
  assert.equal(query(page).get('metric'), 'delta_rms');
  await page.selectOption('#ctl-theme', 'dark');
  assert.match(await page.getAttribute('.app', 'class'), /theme-dark/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a deep sigmoid + Glorot net shows the lower layers far below the top ones', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?activation=sigmoid&init=glorot_uniform&depth=10&metric=delta_rms`);
  await waitForEpochs(page, 1);
  const bars = await barLog10(page);
  assert.equal(bars.length, 11);
  assert.ok(bars[9] - bars[0] > 4, `layer 10 is 10⁴ above layer 1: ${bars}`);
  for (let i = 0; i < 9; i++) assert.ok(bars[i] < bars[i + 1], `decays toward the input at ${i}: ${bars}`);
  assert.match(await page.textContent('#verdict'), /Vanishing/);
  // And the bars as drawn: the leftmost bar's column has far fewer coloured pixels.
  const heights = await page.$eval('#chart-bars', (c) => {
    const ctx = c.getContext('2d');
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    const coloured = (x) => {
      let n = 0;
      for (let y = 0; y < height; y++) {
        const i = 4 * (y * width + x);
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        if (Math.max(r, g, b) - Math.min(r, g, b) > 40) n++;
      }
      return n;
    };
    const cols = [];
    for (let x = 0; x < width; x++) cols.push(coloured(x));
    // Bars are runs of coloured columns: take the first and the last run's height.
    const runs = [];
    let start = -1;
    cols.forEach((n, x) => {
      if (n > 2 && start < 0) start = x;
      if ((n <= 2 || x === width - 1) && start >= 0) { runs.push(Math.max(...cols.slice(start, x))); start = -1; }
    });
    return runs;
  });
  assert.ok(heights.length >= 11, `found the bars: ${heights}`);
  assert.ok(heights[0] * 3 < heights[heights.length - 1], `first bar much shorter than last: ${heights}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the δ view draws the mean-field prediction beside the measurement', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=20&width=64&activation=tanh&init=glorot_uniform&metric=delta_rms`);
  await waitForEpochs(page, 1);
  await page.waitForFunction(() => (document.querySelector('#chart-bars').dataset.theoryLog10 ?? '') !== '');
  const theory = JSON.parse(await page.getAttribute('#chart-bars', 'data-theory-log10'));
  const bars = await barLog10(page);
  assert.equal(theory.length, 20, 'one prediction per hidden layer');
  theory.forEach((t, i) => assert.ok(Math.abs(t - bars[i]) < Math.log10(1.5), `layer ${i + 1}: theory ${t} vs measured ${bars[i]}`));
  // The weights view has no theory overlay.
  await page.click('#metric-grad');
  await page.waitForFunction(() => document.querySelector('#chart-bars').dataset.theoryLog10 === '');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a large-init high-learning-rate run diverges cleanly and the page still responds', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?init=large&lr=10&epochs=30`);
  await waitForEpochs(page, 1);
  await page.click('#btn-play');
  await page.waitForSelector('.diverged-chip', { timeout: 30000 });
  assert.equal(await page.getAttribute('.app', 'data-phase'), 'diverged');
  await waitForEpochs(page, 1);
  assert.match(await page.textContent('#verdict'), /Diverged/);
  const bars = await barLog10(page);
  assert.ok(bars.some((v) => v === 'nan' || v === 'inf'), `non-finite figures shown as markers: ${bars}`);
  // Still usable: switch the measure, then fix the initializer and train again.
  await page.click('#metric-delta');
  await page.selectOption('#ctl-init', 'he_normal');
  await page.$eval('#ctl-lr', (el) => { el.value = '-1.3'; el.dispatchEvent(new Event('change', { bubbles: true })); });
  await page.waitForFunction(() => !document.querySelector('.diverged-chip'));
  await waitForEpochs(page, 1);
  await page.click('#btn-play');
  await waitForEpochs(page, 3);
  assert.notEqual(await page.getAttribute('.app', 'data-phase'), 'diverged');
  assert.deepEqual(problems, [], 'no console error, no WASM panic');
  await page.close();
});

test('a link round-trips the configuration exactly and replays the same run', async () => {
  const link = 'dataset=circles&noise=0.2&depth=6&width=20&activation=tanh&init=glorot_normal&batch_norm=before&optimizer=momentum&lr=0.02&batch_size=16&epochs=5&seed=7&init_seed=9&l2=0.001&clip=clipnorm&clip_at=0.75&metric=delta_rms';
  const { page, problems } = await openPage(browser, `${server.url}?${link}`);
  await waitForEpochs(page, 1);
  assert.equal(new URL(page.url()).search.slice(1), link);
  assert.equal(await page.inputValue('#ctl-activation'), 'tanh');
  assert.equal(await page.inputValue('#ctl-batch-norm'), 'before');
  assert.equal(await page.inputValue('#ctl-depth'), '6');
  await page.waitForFunction(() => document.querySelector('#url-notice') === null);
  const first = await barLog10(page);
  const again = await openPage(browser, `${server.url}?${link}`);
  await waitForEpochs(again.page, 1);
  assert.deepEqual(await barLog10(again.page), first, 'same seed, same figures');
  assert.deepEqual([...problems, ...again.problems], []);
  await page.close();
  await again.page.close();
});

test('a malformed link shows a notice, falls back to defaults and still works', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=abc&activation=swish&lr=-5&width=99999&%zz=1&clip=maybe`);
  await page.waitForSelector('#url-notice');
  const text = await page.textContent('#url-notice');
  for (const bit of ['depth=abc', 'swish', 'width', 'clip']) assert.ok(text.includes(bit), `${bit} in ${text}`);
  await waitForEpochs(page, 1);
  assert.equal(query(page).get('depth'), '10');
  assert.equal(query(page).get('activation'), 'relu');
  await page.click('#btn-play');
  await waitForEpochs(page, 2);
  assert.deepEqual(problems, []);
  await page.close();
});

test('canvases are drawn at device resolution (sharp on HiDPI screens and projectors)', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 });
  await page.goto(server.url);
  await waitForEpochs(page, 1);
  for (const id of ['chart-bars', 'chart-heatmap', 'chart-loss', 'chart-accuracy']) {
    const [w, cssW, h, cssH] = await page.$eval(`#${id}`, (c) => [c.width, c.clientWidth, c.height, c.clientHeight]);
    assert.ok(Math.abs(w - 2 * cssW) <= 1 && Math.abs(h - 2 * cssH) <= 1, `${id}: ${w}x${h} for ${cssW}x${cssH} CSS px`);
  }
  await page.close();
});

test('the epoch slider shows any past epoch, and "latest" follows the run again', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=16&epochs=4`);
  await waitForEpochs(page, 1);
  await page.click('#btn-play');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'finished');
  await waitForEpochs(page, 5);
  const latest = await page.$eval('#chart-bars', (c) => [c.dataset.epoch, c.dataset.log10]);
  assert.equal(latest[0], '4');
  await page.$eval('#epoch-view', (el) => { el.value = '0'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => document.querySelector('#chart-bars').dataset.epoch === '0');
  assert.notEqual(await page.getAttribute('#chart-bars', 'data-log10'), latest[1], 'epoch 0 has other figures');
  await page.click('#epoch-follow');
  await page.waitForFunction(() => document.querySelector('#chart-bars').dataset.epoch === '4');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a lesson loads its experiment, asks its question, and its link keeps naming it', async () => {
  // A lesson can be linked to directly, and the link stays a lesson link.
  const linked = await openPage(browser, `${server.url}?lesson=sigmoid`, undefined, { ask: true });
  await waitForEpochs(linked.page, 1);
  assert.equal(await linked.page.inputValue('#ctl-preset'), 'sigmoid');
  assert.equal(await linked.page.inputValue('#ctl-activation'), 'sigmoid');
  assert.equal(query(linked.page).get('lesson'), 'sigmoid');
  assert.equal(query(linked.page).get('activation'), null, 'no settings beyond the lesson');
  assert.match(await linked.page.textContent('[data-question]'), /sigmoid layer/);
  // Adjusting a setting keeps the lesson and writes only what differs.
  await linked.page.fill('#ctl-depth', '4');
  await linked.page.$eval('#ctl-depth', (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  await linked.page.waitForFunction(() => new URL(location.href).search === '?lesson=sigmoid&depth=4&metric=delta_rms');
  assert.ok(await linked.page.isVisible('[data-lesson-back]'), 'the way back to the lesson\'s own runs');
  assert.deepEqual(linked.problems, []);
  await linked.page.close();
  const { page, problems } = await openPage(browser, server.url);
  await waitForEpochs(page, 1);
  await page.selectOption('#ctl-preset', 'sigmoid');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('lesson') === 'sigmoid');
  await closeLesson(page);
  await page.waitForFunction(() => document.querySelector('#verdict').textContent.includes('Vanishing'));
  // A lesson is always a fresh run, even when it differs only in "live" settings.
  await page.fill('#ctl-epochs', '2');
  await page.$eval('#ctl-epochs', (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  await page.click('#btn-play');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'finished');
  await page.selectOption('#ctl-preset', 'healthy');
  await page.waitForFunction(() => new URL(location.href).search === '?lesson=healthy&metric=grad_norm');
  await page.waitForFunction(() => Number(document.querySelector('.app').dataset.epochs) <= 1);
  // Held for the question at epoch 0, and saying so.
  await page.waitForFunction(() => /waiting for an answer/.test(document.querySelector('.topbar').textContent));
  assert.deepEqual(problems, []);
  await page.close();
});

test('readable at projector and phone sizes', async () => {
  for (const viewport of [{ width: 1920, height: 1080 }, { width: 390, height: 844 }]) {
    const { page, problems } = await openPage(browser, `${server.url}?theme=lecture`, viewport);
    await waitForEpochs(page, 1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling at ${viewport.width}px (${overflow})`);
    const bars = await page.$eval('#chart-bars', (c) => c.getBoundingClientRect().width);
    assert.ok(bars > viewport.width * 0.4, `the gradient chart takes the width (${bars}px)`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

// The colour of one canvas pixel, [r, g, b].
const pixelAt = (page, id, [x, y]) => page.$eval(`#${id}`, (c, [x, y]) => [...c.getContext('2d').getImageData(x, y, 1, 1).data].slice(0, 3), [x, y]);

test('the theory ticks and the heatmap cells are really drawn where the numbers say', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?activation=sigmoid&init=glorot_uniform&depth=10&metric=delta_rms`);
  await waitForEpochs(page, 1);
  await page.waitForFunction(() => JSON.parse(document.querySelector('#chart-bars').dataset.theoryPx ?? '[]').length === 10);
  await page.waitForTimeout(400); // the bar animation
  const ticks = JSON.parse(await page.getAttribute('#chart-bars', 'data-theory-px'));
  for (const [x, y] of ticks) {
    // A dark tick line (the theme's text colour) where the prediction sits…
    const dark = await Promise.all([-1, 0, 1].map((d) => pixelAt(page, 'chart-bars', [x, y + d])));
    assert.ok(dark.some((p) => Math.max(...p) < 90), `tick at ${x},${y}: ${JSON.stringify(dark)}`);
  }
  // …and not everywhere: well above the highest tick, the column is background or bar.
  const [x0, y0] = ticks[0];
  assert.ok(Math.max(...(await pixelAt(page, 'chart-bars', [x0, y0 - 12]))) >= 90);
  // Heatmap: layer 1's δ is ~10⁻⁷ of the output's: the darkest viridis purple at the bottom,
  // yellow-green at the top.
  await page.waitForFunction(() => (document.querySelector('#chart-heatmap').dataset.probePx ?? '') !== '');
  const [[low, top]] = JSON.parse(await page.getAttribute('#chart-heatmap', 'data-probe-px'));
  const [r1, g1, b1] = await pixelAt(page, 'chart-heatmap', low);
  const [r2, g2, b2] = await pixelAt(page, 'chart-heatmap', top);
  assert.ok(g1 < 60 && b1 > r1, `layer 1 is dark purple: ${[r1, g1, b1]}`);
  assert.ok(g2 > 180 && r2 > 100, `the output layer is yellow-green: ${[r2, g2, b2]}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the diagnosis describes the epoch on screen', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?lesson=tanh_large&epochs=6&speed=fast`);
  await waitForEpochs(page, 1);
  assert.match(await page.textContent('#verdict'), /Exploding/, 'at epoch 0 δ grows toward the input');
  await page.click('#btn-play');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'finished', null, { timeout: 60000 });
  await page.waitForFunction(() => !document.querySelector('#verdict').textContent.includes('Exploding'));
  const latest = await page.textContent('#verdict');
  await page.$eval('#epoch-view', (el) => { el.value = '0'; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction(() => document.querySelector('#verdict').textContent.includes('Exploding'));
  assert.match(await page.textContent('#diagnosis .latest'), /^epoch 0 /);
  await page.click('#epoch-follow');
  await page.waitForFunction((v) => document.querySelector('#verdict').textContent === v, latest);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a seed of 64 bits survives the link and the seed field', async () => {
  const big = '18446744073709551615';
  const { page, problems } = await openPage(browser, `${server.url}?seed=${big}&depth=2&width=8`);
  await waitForEpochs(page, 1);
  assert.equal(await page.inputValue('#ctl-seed'), big);
  assert.equal(query(page).get('seed'), big);
  await page.fill('#ctl-seed', '9007199254740993');
  await page.$eval('#ctl-seed', (el) => el.dispatchEvent(new Event('change', { bubbles: true })));
  await page.waitForFunction(() => new URL(location.href).searchParams.get('seed') === '9007199254740993');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a field being typed into is not overwritten while training runs', async () => {
  const { page, problems } = await openPage(browser, `${server.url}?depth=3&width=16&epochs=1000`);
  await waitForEpochs(page, 1);
  await page.click('#btn-play');
  await page.waitForFunction(() => document.querySelector('.app').dataset.phase === 'playing');
  // Half-typed: records and progress keep arriving meanwhile.
  await page.fill('#ctl-depth', '1');
  await page.fill('#ctl-clip-at', '').catch(() => {});
  const records = await epochs(page);
  await page.waitForTimeout(1500);
  assert.ok((await epochs(page)) > records, 'records kept arriving while the field was edited');
  assert.equal(await page.inputValue('#ctl-depth'), '1');
  assert.deepEqual(problems, []);
  await page.close();
});
