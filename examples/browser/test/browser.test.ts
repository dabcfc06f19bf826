import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setWasmEnabled } from '@tenzo/tensor';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResults, runDemo } from '../src/demo.js';
import type { PageState } from '../src/main.js';

// The example page, built by Vite and served on loopback, in Debian's headless Chromium (driven
// by playwright-core; no browser download). Under CI=true it always runs; elsewhere it is skipped
// only when there is no Chromium binary.

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportsDir = join(exampleDir, '..', '..', '.reports');
const CHROMIUM = process.env.TENZO_CHROMIUM ?? '/usr/bin/chromium';
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !inCi) {
  console.warn(
    `examples/browser: skipping the headless-browser test — no Chromium at ${CHROMIUM} (apt-get install chromium, or set TENZO_CHROMIUM); under CI=true it runs and fails instead`,
  );
}

/** script-src without 'wasm-unsafe-eval': the page's own scripts run, WebAssembly may not compile */
const STRICT_CSP = "default-src 'self'; script-src 'self'";
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Serves `root` on 127.0.0.1; under /csp/ the same files come with the strict CSP header. */
function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const headers: Record<string, string> = {};
    if (path.startsWith('/csp/')) {
      path = path.slice('/csp'.length);
      headers['Content-Security-Policy'] = STRICT_CSP;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    headers['Content-Type'] = MIME[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, headers).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The IEEE-754 bits of each number, as hex: equal strings mean equal bits. */
function bits(values: readonly number[]): string[] {
  const f = new Float64Array(values);
  return Array.from(new BigUint64Array(f.buffer), (b) => b.toString(16));
}

interface Visit {
  state: PageState;
  warnings: string[];
  errors: string[];
}

/** Opens the page, collects its console warnings and errors, and waits until the demo ends. */
async function visit(page: Page, url: string): Promise<Visit> {
  const warnings: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(
    () => window.tenzoDemo !== undefined && window.tenzoDemo.status !== 'running',
    null,
    {
      timeout: 120_000,
    },
  );
  const state = await page.evaluate(() => window.tenzoDemo);
  return { state, warnings, errors };
}

/** The portable training and HTBB equal Node's bit for bit; the SLM training equals it to rounding. */
function expectNodeResults(page: DemoResults, node: DemoResults): void {
  const p = page.portable;
  const n = node.portable;
  expect(bits(p.losses)).toEqual(bits(n.losses));
  expect(bits(p.weights)).toEqual(bits(n.weights));
  expect(p.weightsChecksum).toBe(n.weightsChecksum);
  expect(bits([p.initialLoss, p.finalLoss])).toEqual(bits([n.initialLoss, n.finalLoss]));
  expect(p.deviceQueries).toEqual(n.deviceQueries);
  expect(page.portable).toStrictEqual(node.portable);
  expect(bits([page.htbb.error])).toEqual(bits([node.htbb.error]));
  expect(page.htbb).toStrictEqual(node.htbb);
  // the SLM run goes through Math.cos, ** and Math.log, which engines round differently in the
  // last bit: the same run, to rounding
  const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  const lossGap = Math.max(...page.slm.losses.map((v, i) => relative(v, node.slm.losses[i]!)));
  const weightGap = Math.max(...page.slm.weights.map((v, i) => Math.abs(v - node.slm.weights[i]!)));
  console.log(
    `examples/browser: SLM training against Node: ${page.slm.losses.filter((v, i) => Object.is(v, node.slm.losses[i])).length}/40 losses bit-identical, largest relative loss difference ${lossGap.toExponential(2)}, largest weight difference ${weightGap.toExponential(2)}`,
  );
  expect(page.slm.losses).toHaveLength(node.slm.losses.length);
  expect(lossGap).toBeLessThan(1e-9);
  expect(weightGap).toBeLessThan(1e-9);
  expect(page.slm.deviceQueries).toEqual(node.slm.deviceQueries);
}

describe.skipIf(!haveChromium && !inCi)('the example page in headless Chromium', () => {
  let outDir = '';
  let server: Server | undefined;
  let browser: Browser | undefined;
  let origin = '';
  let nodeWasm: DemoResults;
  let nodeTs: DemoResults;

  beforeAll(async () => {
    if (!haveChromium) return; // under CI=true: each test fails with the reason
    outDir = mkdtempSync(join(tmpdir(), 'tenzo-browser-'));
    await build({
      root: exampleDir,
      configFile: join(exampleDir, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    server = await serve(outDir);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    nodeWasm = await runDemo();
    setWasmEnabled(false);
    try {
      nodeTs = await runDemo();
    } finally {
      setWasmEnabled(true);
    }
  }, 240_000);

  /** The launched browser; under CI=true without Chromium, the failure every test reports. */
  function launched(): Browser {
    if (!browser)
      throw new Error(`CI=true and no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium with apt`);
    return browser;
  }

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('trains the hybrid networks and runs HTBB on the WASM kernel, as Node does (bit for bit where portable)', async () => {
    const page = await launched().newPage({ viewport: { width: 760, height: 620 } });
    const { state, warnings, errors } = await visit(page, `${origin}/`);
    expect(state.error).toBeNull();
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(state.status).toBe('done');
    const results = state.results!;
    expect(results.backend).toBe('fast');
    expect(results.kernel).toBe('wasm-simd');
    expect(nodeWasm.kernel).toBe('wasm-simd');
    expectNodeResults(results, nodeWasm);
    // the run learned something and HTBB is close: a page that computes garbage identically fails here
    expect(results.portable.finalLoss).toBeLessThan(0.5 * results.portable.initialLoss);
    expect(results.slm.finalLoss).toBeLessThan(0.5 * results.slm.initialLoss);
    expect(results.htbb.error).toBeLessThan(0.05);
    for (const variant of ['portable', 'slm']) {
      await expect(page.locator(`#loss polyline.${variant}`).getAttribute('points')).resolves.toMatch(
        /^(\S+,\S+ ){39}\S+,\S+$/,
      );
    }
    mkdirSync(reportsDir, { recursive: true });
    await page.screenshot({ path: join(reportsDir, 'browser.png'), fullPage: true });
    console.log(
      `examples/browser: page done in Chromium ${launched().version()} (WASM after ${state.wasmWaitMs.toFixed(0)} ms), screenshot .reports/browser.png`,
    );
    await page.close();
  }, 180_000);

  it("under a CSP without 'wasm-unsafe-eval' falls back to the TypeScript kernel with a console warning", async () => {
    const page = await launched().newPage();
    const response = page.waitForResponse((r) => r.url().endsWith('/csp/'));
    const visited = visit(page, `${origin}/csp/`);
    expect((await response).headers()['content-security-policy']).toBe(STRICT_CSP);
    const { state, warnings, errors } = await visited;
    expect(state.error).toBeNull();
    expect(state.status).toBe('done');
    const results = state.results!;
    expect(results.backend).toBe('fast');
    expect(results.kernel).toBe('typescript');
    expect(nodeTs.kernel).toBe('typescript');
    const fallback = warnings.filter((w) => w.startsWith('@tenzo/tensor: compiling the WebAssembly kernels'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toContain("'wasm-unsafe-eval'");
    expect(fallback[0]).toContain('TypeScript kernels');
    // Chromium reports the refused compile as a CSP violation on the console too; nothing else
    expect(errors.filter((e) => !e.includes('wasm-unsafe-eval'))).toEqual([]);
    expectNodeResults(results, nodeTs);
    await page.close();
  }, 180_000);
});
