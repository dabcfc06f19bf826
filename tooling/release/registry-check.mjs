#!/usr/bin/env node
// The release as a user meets it, against a real npm registry on loopback (issue #23):
//  1. starts Verdaccio (root devDependency) on 127.0.0.1 on a free port, with a temporary storage
//     and config: @tenzo/* only from this registry, everything else proxied to the npm registry;
//  2. copies the workspace (built dist included, node_modules left out) to a temporary folder and
//     versions it there with changesets in snapshot mode (`changeset version --snapshot ci`, one
//     generated patch changeset for every publishable package), so the repository stays untouched;
//  3. publishes every publishable package with `pnpm publish` (workspace:^ rewritten by pnpm);
//  4. for each package, in a fresh folder with plain npm: installs the package alone from the
//     registry, measures node_modules (du -sk, package count), adds what its README example needs
//     beyond it (other tenzo packages it imports, optional peers named in the README's marker; see
//     readme-example.mjs), runs the example as ESM and as CommonJS, and typechecks it with
//     moduleResolution node16 and bundler;
//  5. prints one line per package, writes .reports/registry.json, stops Verdaccio, and exits 1 if
//     any check failed.
// Needs the packages built (`pnpm run build`). Usage: node tooling/release/registry-check.mjs
// [--keep] (keep the temporary folder) [--only @tenzo/a,@tenzo/b] (check a subset; all are published).
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileExample, importedPackages, readmeExample } from './readme-example.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(ROOT, 'package.json'));
const ts = require('typescript');
const PNPM = ['npx', '--yes', 'pnpm@10.34.8'];
const EXAMPLE_TIMEOUT_MS = 300_000;
const INSTALL_TIMEOUT_MS = 600_000;

const argv = process.argv.slice(2);
const keep = argv.includes('--keep');
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(',')) : null;

const log = (line) => console.log(`[registry] ${line}`);

/** runs a command to completion; never throws: { status, out } (stdout and stderr interleaved) */
function run(cmd, args, { cwd, timeout = INSTALL_TIMEOUT_MS, env = {} } = {}) {
  const r = spawnSync(cmd, args, {
    cwd,
    timeout,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  return { status: r.error?.code === 'ETIMEDOUT' ? 'timeout' : r.status, out };
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** the workspace's package folders, from pnpm-workspace.yaml's `dir/*` globs */
function workspaceDirs() {
  const yaml = readFileSync(join(ROOT, 'pnpm-workspace.yaml'), 'utf8');
  const dirs = [];
  for (const m of yaml.matchAll(/^\s*-\s*["']?([^"'\n]+?)["']?\s*$/gm)) {
    const glob = m[1];
    if (glob.endsWith('/*')) {
      const base = join(ROOT, glob.slice(0, -2));
      for (const d of readdirSync(base, { withFileTypes: true }))
        if (d.isDirectory() && existsSync(join(base, d.name, 'package.json'))) dirs.push(join(base, d.name));
    } else if (existsSync(join(ROOT, glob, 'package.json'))) dirs.push(join(ROOT, glob));
  }
  return dirs;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

function verdaccioConfig(storage) {
  return `storage: ${JSON.stringify(storage)}
auth:
  htpasswd:
    file: ${JSON.stringify(join(storage, '..', 'htpasswd'))}
    max_users: 10
uplinks:
  npmjs:
    url: https://registry.npmjs.org/
    timeout: 60s
    max_fails: 5
packages:
  '@tenzo/*':
    access: $all
    publish: $authenticated
  '**':
    access: $all
    publish: $authenticated
    proxy: npmjs
server:
  keepAliveTimeout: 60
max_body_size: 200mb
log: { type: stdout, format: pretty, level: warn }
`;
}

async function startVerdaccio(tmp) {
  const port = await freePort();
  const storage = join(tmp, 'registry', 'storage');
  mkdirSync(storage, { recursive: true });
  const config = join(tmp, 'registry', 'config.yaml');
  writeFileSync(config, verdaccioConfig(storage));
  const bin = join(dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}-/ping`)).ok) return { child, url, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`Verdaccio did not start on ${url}:\n${output}`);
}

/** a user on the registry (htpasswd), so that publish is authenticated: its token */
async function addUser(url) {
  const name = 'tenzo-ci';
  const res = await fetch(`${url}-/user/org.couchdb.user:${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      password: 'tenzo-ci-password',
      type: 'user',
      roles: [],
      date: new Date().toISOString(),
    }),
  });
  const body = await res.json();
  if (!res.ok || typeof body.token !== 'string')
    throw new Error(`adduser failed: ${res.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** copies the workspace without node_modules and caches into `dest` */
function copyWorkspace(dest, dirs) {
  const skip = new Set(['node_modules', '.turbo', 'coverage', '.reports', 'runs', '.tenzo-cache']);
  const filter = (src) => !skip.has(src.split('/').pop());
  for (const f of ['package.json', 'pnpm-workspace.yaml', 'LICENSE', 'README.md'])
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(dest, f));
  cpSync(join(ROOT, '.changeset'), join(dest, '.changeset'), { recursive: true });
  for (const d of dirs) cpSync(d, join(dest, relative(ROOT, d)), { recursive: true, filter });
  // pnpm publish resolves workspace: ranges from the installed links: link the copies, no install
  const where = new Map(
    dirs.map((d) => [readJson(join(d, 'package.json')).name, join(dest, relative(ROOT, d))]),
  );
  for (const dir of where.values()) {
    const pkg = readJson(join(dir, 'package.json'));
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'])
      for (const [name, range] of Object.entries(pkg[field] ?? {}))
        if (String(range).startsWith('workspace:') && where.has(name)) {
          const link = join(dir, 'node_modules', name);
          mkdirSync(dirname(link), { recursive: true });
          if (!existsSync(link)) symlinkSync(where.get(name), link, 'dir');
        }
  }
}

/** `changeset version --snapshot ci` in the copy, with one patch changeset for every package */
function snapshotVersions(copy, publishable) {
  const config = readJson(join(copy, '.changeset', 'config.json'));
  const ignored = new Set(config.ignore ?? []);
  const names = publishable.map((p) => p.name).filter((n) => !ignored.has(n));
  const front = names.map((n) => `'${n}': patch`).join('\n');
  writeFileSync(
    join(copy, '.changeset', 'registry-check-snapshot.md'),
    `---\n${front}\n---\n\nregistry check snapshot\n`,
  );
  const bin = join(dirname(require.resolve('@changesets/cli/package.json')), 'bin.js');
  const r = run(process.execPath, [bin, 'version', '--snapshot', 'ci'], { cwd: copy });
  if (r.status !== 0) throw new Error(`changeset version --snapshot ci failed:\n${r.out}`);
  for (const p of publishable) p.version = readJson(join(copy, p.rel, 'package.json')).version;
}

/** GET a JSON document (null on 404), retrying connection errors a few times */
async function getJson(url) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, { headers: { connection: 'close' } });
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
      return await res.json();
    } catch (e) {
      if (attempt === 3) throw new Error(`GET ${url}: ${e.cause?.message ?? e.message}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** `pnpm -r publish` from the copy's root (topological order), then each version read back */
async function publishAll(copy, publishable, url, token) {
  const host = url.replace(/^http:/, '');
  // the token in the workspace's .npmrc and in the user config: npm, which pnpm runs per tarball,
  // looks for a project .npmrc only up to the package's own folder
  const npmrc = `registry=${url}\n${host}:_authToken=${token}\n`;
  writeFileSync(join(copy, '.npmrc'), npmrc);
  writeFileSync(join(copy, '.npmrc-publish'), npmrc);
  const args = ['-r', 'publish', '--registry', url, '--no-git-checks', '--access', 'public', '--tag', 'ci'];
  const r = run(PNPM[0], [...PNPM.slice(1), ...args], {
    cwd: copy,
    env: { npm_config_userconfig: join(copy, '.npmrc-publish') },
  });
  if (r.status !== 0) throw new Error(`pnpm -r publish failed:\n${r.out}`);
  for (const p of publishable) {
    const doc = await getJson(`${url}${p.name.replace('/', '%2f')}`);
    if (doc?.versions?.[p.version] === undefined)
      throw new Error(`${p.name}@${p.version} is not on ${url} after publish`);
    log(`published ${p.name}@${p.version} to ${url} (${doc.versions[p.version].dist.tarball})`);
  }
}

/** disk use of a folder in KiB (du -sk) */
function duKiB(dir) {
  const r = run('du', ['-sk', dir]);
  return Number.parseInt(r.out, 10);
}

/** packages installed in a consumer, from npm's hidden lockfile */
function installedPackages(consumer) {
  const lock = join(consumer, 'node_modules', '.package-lock.json');
  if (!existsSync(lock)) return [];
  return Object.keys(readJson(lock).packages ?? {}).filter((k) => k.startsWith('node_modules/'));
}

const top = (consumer, name) => existsSync(join(consumer, 'node_modules', name, 'package.json'));

function tsconfig(resolution) {
  const module = resolution === 'node16' ? 'node16' : 'esnext';
  return {
    compilerOptions: {
      target: 'es2022',
      module,
      moduleResolution: resolution,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules', '@types')],
    },
    files: ['example.ts'],
  };
}

function checkPackage(p, tmp, url, versions, npmEnv) {
  const consumer = join(tmp, 'consumers', p.name.replace('/', '__'));
  mkdirSync(consumer, { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const result = { name: p.name, version: p.version, installKiB: null, packages: null, extras: [] };
  const npmArgs = ['--registry', url, '--no-audit', '--no-fund', '--loglevel', 'error'];
  const install = run('npm', ['install', `${p.name}@${p.version}`, ...npmArgs], {
    cwd: consumer,
    env: npmEnv,
  });
  if (install.status !== 0) {
    result.install = { ok: false, out: install.out.slice(-4000) };
    return result;
  }
  result.install = { ok: true };
  result.installKiB = duKiB(join(consumer, 'node_modules'));
  result.packages = installedPackages(consumer).length;
  const tarball = readJson(join(consumer, 'node_modules', p.name, 'package.json'));
  if (tarball.version !== p.version)
    throw new Error(`${p.name}: installed ${tarball.version}, published ${p.version}`);

  const readmePath = join(ROOT, p.rel, 'README.md');
  const example = existsSync(readmePath) ? readmeExample(readFileSync(readmePath, 'utf8')) : null;
  if (example === null) {
    result.example = null;
    return result;
  }
  // what the example needs beyond the package: other packages it imports, the marker's extras
  const wanted = [...importedPackages(example.code), ...example.extras].filter((n) => !top(consumer, n));
  const extras = [...new Set(wanted)].map((n) =>
    versions.has(n) ? `${n}@${versions.get(n)}` : peerSpec(consumer, n),
  );
  result.extras = extras;
  if (extras.length > 0) {
    const more = run('npm', ['install', ...extras, ...npmArgs], { cwd: consumer, env: npmEnv });
    if (more.status !== 0) {
      result.install = { ok: false, out: more.out.slice(-4000) };
      return result;
    }
  }
  writeFileSync(join(consumer, 'example.ts'), `${example.code}\n`);
  writeFileSync(join(consumer, 'example.mjs'), compileExample(ts, example.code, 'esm'));
  writeFileSync(join(consumer, 'example.cjs'), compileExample(ts, example.code, 'cjs'));
  const outcome = (r) => ({
    ok: r.status === 0,
    ...(r.status === 0 ? {} : { status: r.status, out: r.out.slice(-4000) }),
  });
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const checks = {};
  checks.esm = outcome(
    run(process.execPath, ['example.mjs', ...example.args], { cwd: consumer, timeout: EXAMPLE_TIMEOUT_MS }),
  );
  checks.cjs = outcome(
    run(process.execPath, ['example.cjs', ...example.args], { cwd: consumer, timeout: EXAMPLE_TIMEOUT_MS }),
  );
  for (const resolution of ['node16', 'bundler']) {
    writeFileSync(
      join(consumer, `tsconfig.${resolution}.json`),
      `${JSON.stringify(tsconfig(resolution), null, 2)}\n`,
    );
    checks[`ts-${resolution}`] = outcome(
      run(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], { cwd: consumer }),
    );
  }
  result.example = { marked: example.marked, checks };
  return result;
}

/** `name@range` from the peerDependencies of the installed tenzo packages, else `name` */
function peerSpec(consumer, name) {
  const scope = join(consumer, 'node_modules', '@tenzo');
  if (existsSync(scope))
    for (const d of readdirSync(scope)) {
      const range = readJson(join(scope, d, 'package.json')).peerDependencies?.[name];
      if (range !== undefined) return `${name}@${range}`;
    }
  return name;
}

const mb = (kib) => (kib === null ? '?' : `${(kib / 1024).toFixed(1)} MB`);

async function main() {
  const dirs = workspaceDirs();
  const publishable = dirs
    .map((d) => ({ dir: d, rel: relative(ROOT, d), pkg: readJson(join(d, 'package.json')) }))
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ dir, rel, pkg }) => ({ dir, rel, name: pkg.name, version: pkg.version }));
  for (const p of publishable)
    if (!existsSync(join(p.dir, 'dist')))
      throw new Error(`${p.name}: no dist/ — build first (pnpm run build)`);
  const tmp = mkdtempSync(join(tmpdir(), 'tenzo-registry-'));
  log(`temporary folder ${tmp}`);
  let registry = null;
  const stop = () => {
    if (registry !== null && registry.child.exitCode === null) registry.child.kill();
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  };
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => {
      stop();
      process.exit(1);
    });
  try {
    registry = await startVerdaccio(tmp);
    log(`Verdaccio ${require('verdaccio/package.json').version} listening on ${registry.url}`);
    const token = await addUser(registry.url);
    const copy = join(tmp, 'workspace');
    copyWorkspace(copy, dirs);
    snapshotVersions(copy, publishable);
    log(`changeset version --snapshot ci: ${publishable.map((p) => `${p.name}@${p.version}`).join(', ')}`);
    await publishAll(copy, publishable, registry.url, token);

    const versions = new Map(publishable.map((p) => [p.name, p.version]));
    const npmEnv = {
      npm_config_cache: join(tmp, 'npm-cache'),
      npm_config_userconfig: join(tmp, 'npmrc'),
      npm_config_update_notifier: 'false',
    };
    writeFileSync(join(tmp, 'npmrc'), `registry=${registry.url}\n`);
    const results = [];
    for (const p of publishable) {
      if (only !== null && !only.has(p.name)) continue;
      const t0 = Date.now();
      const r = checkPackage(p, tmp, registry.url, versions, npmEnv);
      r.seconds = Math.round((Date.now() - t0) / 1000);
      results.push(r);
      const checks = r.example?.checks ?? {};
      const cells = ['esm', 'cjs', 'ts-node16', 'ts-bundler'].map(
        (k) =>
          `${k} ${checks[k] === undefined ? (r.example === null ? 'no example' : '-') : checks[k].ok ? 'pass' : 'FAIL'}`,
      );
      const install = r.install.ok ? `${mb(r.installKiB)} (${r.packages} packages)` : 'install FAILED';
      const extra = r.extras.length > 0 ? ` [example adds ${r.extras.join(' ')}]` : '';
      log(`${p.name}@${p.version}: ${install}; ${cells.join(', ')}${extra} (${r.seconds} s)`);
      for (const [k, c] of Object.entries(checks))
        if (!c.ok) console.log(`--- ${p.name} ${k} (exit ${c.status}):\n${c.out}`);
      if (!r.install.ok) console.log(`--- ${p.name} install:\n${r.install.out}`);
    }
    const failed = results.filter(
      (r) => !r.install.ok || r.example === null || Object.values(r.example.checks).some((c) => !c.ok),
    );
    mkdirSync(join(ROOT, '.reports'), { recursive: true });
    const summary = {
      registry: `verdaccio ${require('verdaccio/package.json').version} on 127.0.0.1`,
      node: process.version,
      npm: run('npm', ['--version']).out.trim(),
      typescript: ts.version,
      date: new Date().toISOString(),
      passed: results.length - failed.length,
      failed: failed.map((r) => r.name),
      packages: results,
    };
    writeFileSync(join(ROOT, '.reports', 'registry.json'), `${JSON.stringify(summary, null, 2)}\n`);
    log(
      `${results.length - failed.length} of ${results.length} packages pass; summary in .reports/registry.json`,
    );
    if (failed.length > 0) {
      log(`failed: ${failed.map((r) => r.name).join(', ')}`);
      process.exitCode = 1;
    }
  } catch (e) {
    if (registry !== null) console.log(`--- Verdaccio's log:\n${registry.output().slice(-4000)}`);
    throw e;
  } finally {
    stop();
  }
}

main().catch((e) => {
  console.error(`[registry] ${e instanceof Error ? e.message : e}`);
  process.exitCode = 1;
});
