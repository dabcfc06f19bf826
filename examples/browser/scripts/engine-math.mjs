#!/usr/bin/env node
// node examples/browser/scripts/engine-math.mjs [chromium path]
// How often this Node's Math functions and headless Chromium's round differently: each function
// on the same 20,000 seeded arguments in both engines, counting results whose bits differ. This
// is why the example page's portable training uses only +, −, ×, ÷ and √ (and arguments of
// Math.cos and Math.hypot on which the two agree): only then can it equal Node's bit for bit.
import { chromium } from 'playwright-core';

const executablePath = process.argv[2] ?? process.env.TENZO_CHROMIUM ?? '/usr/bin/chromium';
const COUNT = 20_000;

// Runs in both engines: a 31-bit LCG for the arguments, so both see the same doubles.
function evaluateAll(count) {
  let s = 12345;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const cases = {
    exp: () => [(next() - 0.5) * 40],
    log: () => [next() * 100],
    cos: () => [(next() - 0.5) * 20],
    sin: () => [(next() - 0.5) * 20],
    tanh: () => [(next() - 0.5) * 10],
    pow: () => [next() * 10, (next() - 0.5) * 10],
    atan2: () => [next() - 0.5, next() - 0.5],
    hypot: () => [(next() - 0.5) * 10, (next() - 0.5) * 10],
    sqrt: () => [next() * 100],
  };
  const out = {};
  for (const [name, args] of Object.entries(cases)) {
    s = 12345;
    out[name] = Array.from({ length: count }, () => Math[name](...args()));
  }
  return out;
}

/** The double's bits as an integer ordered like the doubles, so a difference counts ulps. */
function ordered(x) {
  const bits = new BigInt64Array(new Float64Array([x]).buffer)[0];
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

const node = evaluateAll(COUNT);
const browser = await chromium.launch({ executablePath, headless: true });
try {
  const page = await browser.newPage();
  const web = await page.evaluate(
    ([source, count]) => new Function(`return (${source})(${count})`)(),
    [evaluateAll.toString(), COUNT],
  );
  const version = browser.version();
  console.log(
    `Node ${process.versions.node} (V8 ${process.versions.v8}) against Chromium ${version}, ${COUNT} arguments each:`,
  );
  for (const name of Object.keys(node)) {
    let differ = 0;
    let maxUlps = 0n;
    node[name].forEach((v, i) => {
      if (Object.is(v, web[name][i])) return;
      differ++;
      const d = ordered(v) - ordered(web[name][i]);
      if ((d < 0n ? -d : d) > maxUlps) maxUlps = d < 0n ? -d : d;
    });
    console.log(`  Math.${name.padEnd(6)} ${String(differ).padStart(6)} differ, by at most ${maxUlps} ulp`);
  }
} finally {
  await browser.close();
}
