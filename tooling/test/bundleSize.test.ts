import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BudgetRow,
  budgetFor,
  checkBudgets,
  formatTable,
  measureBundles,
  publishablePackages,
} from '../bundle-size/bundleSize.js';

// Every publishable package's main entry, bundled for the browser (esbuild, minified, gzip), stays
// within tooling/bundle-size/budget.json. Over budget: shrink the package, or raise its line with
// `node tooling/bundle-size/cli.js --update` and say why in the commit.

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const budget = JSON.parse(
  readFileSync(join(root, 'tooling', 'bundle-size', 'budget.json'), 'utf8'),
) as Record<string, number>;
const names = publishablePackages(root).map((p) => p.name);

describe('bundle-size budget', () => {
  let rows: BudgetRow[] = [];
  beforeAll(async () => {
    rows = checkBudgets(await measureBundles(root), budget);
    console.log(`bundle sizes (tooling/bundle-size, esbuild minified + gzip -9):\n${formatTable(rows)}`);
  }, 120_000);

  it('the budget names exactly the publishable packages', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(Object.keys(budget).sort()).toEqual([...names].sort());
  });

  it.each(names)('%s: the gzipped browser bundle of its main entry is within budget', (name) => {
    const row = rows.find((r) => r.name === name)!;
    expect(row.gzip).toBeGreaterThan(0);
    expect(row.minified).toBeGreaterThan(row.gzip);
    expect(row.gzip, `${name}: ${row.gzip} bytes gzip, budget ${row.budget}`).toBeLessThanOrEqual(
      budget[name]!,
    );
    expect(row.ok).toBe(true);
  });

  it('budgetFor leaves 10% headroom in 512-byte steps, and checkBudgets flags a package over it', () => {
    const sizes = [{ name: 'a', minified: 5000, gzip: 1000, ownGzip: 800 }];
    expect(budgetFor(sizes)).toEqual({ a: 1536 });
    expect(checkBudgets(sizes, { a: 999 })[0]!.ok).toBe(false);
    expect(checkBudgets(sizes, {})[0]).toMatchObject({ budget: null, ok: false });
    expect(formatTable(checkBudgets(sizes, { a: 999 }))).toContain('OVER BUDGET');
  });
});
