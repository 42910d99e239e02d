#!/usr/bin/env node
// Builds the web app with Vite when dist/ is missing or older than any source it is built from (src/,
// index.html, vite.config.ts, the voucher-code files it bundles). Plain Node ESM so that it runs before
// anything is compiled: the root `npm start` calls it (prestart), and browser tests call buildWebIfNeeded().
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const distIndex = path.join(here, 'dist', 'index.html');
const sources = [
  path.join(here, 'src'),
  path.join(here, 'index.html'),
  path.join(here, 'vite.config.ts'),
  path.join(here, '..', '..', 'packages', 'voucher-code', 'src'),
];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** True when dist/index.html is missing or older than a source file. */
export function webBuildIsStale() {
  if (!existsSync(distIndex)) return true;
  const built = statSync(distIndex).mtimeMs;
  return sources.some((source) => newestMtime(source) > built);
}

/** Runs `vite build` in this folder when the build is stale; returns whether it built. */
export async function buildWebIfNeeded({ force = false, quiet = false } = {}) {
  if (!force && !webBuildIsStale()) {
    if (!quiet) console.log('web: dist/ is up to date');
    return false;
  }
  const { build } = await import('vite');
  await build({
    root: here,
    configFile: path.join(here, 'vite.config.ts'),
    logLevel: quiet ? 'warn' : 'info',
  });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWebIfNeeded({ force: process.argv.includes('--force') }).catch((err) => {
    console.error('web: build failed');
    console.error(err);
    process.exit(1);
  });
}
