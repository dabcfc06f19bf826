#!/usr/bin/env node
// node tooling/bundle-size/cli.js           prints the table; exits 1 when a package is over its
//                                           budget or has none
// node tooling/bundle-size/cli.js --update  rewrites budget.json with 10% headroom over today's sizes
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { budgetFor, checkBudgets, formatTable, measureBundles } from './bundleSize.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const budgetFile = join(here, 'budget.json');
const sizes = await measureBundles(root);
if (process.argv.includes('--update')) {
  writeFileSync(budgetFile, `${JSON.stringify(budgetFor(sizes), null, 2)}\n`);
  console.log(`wrote ${budgetFile}`);
}
const rows = checkBudgets(sizes, JSON.parse(readFileSync(budgetFile, 'utf8')));
console.log(formatTable(rows));
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
