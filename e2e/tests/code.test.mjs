// The code panel: the selected run as Keras and PyTorch scripts, following every control.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, watch, waitForEpochs } from '../tools/harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const code = (page, lang) => page.$eval(`[data-code="${lang}"]`, (e) => e.textContent);
async function waitForCode(page, lang, pattern) {
  await page.waitForFunction(([l, p]) => new RegExp(p).test(document.querySelector(`[data-code="${l}"]`).textContent), [lang, pattern.source]);
}
async function choose(page, id, value) {
  await page.selectOption(id, value);
}

test('the code follows every control, for the run being edited, and copies', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  const page = await context.newPage();
  const problems = watch(page, new URL(server.url).origin);
  await page.goto(`${server.url}?depth=3&width=16&activation=tanh&init=glorot_normal`);
  await waitForEpochs(page, 1);
  // Closed, the panel writes no script (nothing to do before the first chart).
  assert.equal(await code(page, 'keras'), '');
  await page.click('#code-panel summary');
  await waitForCode(page, 'keras', /import keras/);
  assert.ok(await page.isVisible('[data-code="keras"]'));
  assert.equal(await page.isVisible('[data-code="pytorch"]'), false);
  let k = await code(page, 'keras');
  assert.match(k, /activation="tanh"/);
  assert.match(k, /kernel_initializer="glorot_normal"/);
  assert.match(k, /DEPTH = 3\b/);
  assert.match(k, /WIDTH = 16\b/);
  assert.match(await code(page, 'pytorch'), /nn\.Tanh\(\)/);

  // Each control changes the scripts.
  await choose(page, '#ctl-activation', 'relu');
  await waitForCode(page, 'keras', /activation="relu"/);
  await waitForCode(page, 'pytorch', /nn\.ReLU\(\)/);
  await choose(page, '#ctl-init', 'he_normal');
  await waitForCode(page, 'keras', /kernel_initializer="he_normal"/);
  await choose(page, '#ctl-batch-norm', 'before');
  await waitForCode(page, 'keras', /BatchNormalization\(/);
  await waitForCode(page, 'pytorch', /BatchNorm1d\(/);
  await choose(page, '#ctl-clip', 'clipvalue');
  await waitForCode(page, 'keras', /clipvalue=/);
  await waitForCode(page, 'pytorch', /clip_grad_value_\(/);
  await choose(page, '#ctl-optimizer', 'adam');
  await waitForCode(page, 'keras', /optimizers\.Adam\(/);
  await waitForCode(page, 'pytorch', /optim\.Adam\(/);
  await page.fill('#ctl-depth', '5');
  await page.press('#ctl-depth', 'Enter');
  await waitForCode(page, 'keras', /DEPTH = 5\b/);

  // PyTorch tab.
  await page.click('#code-tab-pytorch');
  assert.ok(await page.isVisible('[data-code="pytorch"]'));
  assert.equal(await page.getAttribute('#code-tab-pytorch', 'aria-selected'), 'true');

  // Copy: the clipboard holds the shown script.
  await page.click('#code-copy');
  await page.waitForFunction(() => /Copied/.test(document.querySelector('#code-status').textContent));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await code(page, 'pytorch'));

  // Compare: the code is the selected run's.
  await page.click('#btn-compare');
  await page.waitForFunction(() => document.querySelectorAll('[data-run-summary]').length === 2);
  await choose(page, '#ctl-clip', 'global_clipnorm');
  await waitForCode(page, 'pytorch', /clip_grad_norm_\(/);
  assert.match(await page.textContent('#code-panel'), /Run 2/);
  await page.click('[data-run-summary="0"] .run-pick');
  await waitForCode(page, 'pytorch', /clip_grad_value_\(/);
  assert.deepEqual(problems, []);
  await context.close();
});
