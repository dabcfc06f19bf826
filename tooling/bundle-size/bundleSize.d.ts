/** One package's sizes in bytes; see bundleSize.js. */
export interface BundleSize {
  name: string;
  /** minified ESM bundle of the main entry, dependencies included, peers external */
  minified: number;
  /** that bundle gzipped (level 9): what the budget limits */
  gzip: number;
  /** gzip of the package's own code (every dependency external) */
  ownGzip: number;
}
export interface BudgetRow extends BundleSize {
  /** the budget's gzip limit, null when the budget has no entry */
  budget: number | null;
  ok: boolean;
}
export const HEADROOM: number;
/** The publishable packages under `<root>/packages`, with their '@tenzo/source' entries. */
export function publishablePackages(
  root: string,
): { name: string; dir: string; entry: string; peers: string[]; deps: string[] }[];
/** Bundles and gzips every publishable package's main entry. */
export function measureBundles(root: string): Promise<BundleSize[]>;
/** Compares sizes with a budget (gzip bytes per package name). */
export function checkBudgets(sizes: BundleSize[], budget: Record<string, number>): BudgetRow[];
/** A budget with HEADROOM above each measured size, in multiples of 512 bytes. */
export function budgetFor(sizes: { name: string; gzip: number }[]): Record<string, number>;
/** The plain-text table printed by the test and the CLI. */
export function formatTable(rows: BudgetRow[]): string;
