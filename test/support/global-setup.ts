import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';

/**
 * Builds the web app once before the run, so browser tests drive what `npm start` would serve. The
 * build goes to a folder of its own and replaces dist/web by renames, so another test run on the
 * same checkout never finds dist/web half-written (vite empties its output folder first).
 */
export default async function setup(): Promise<void> {
  if (!existsSync('web/index.html')) return;
  const target = resolve('dist/web');
  const next = resolve(`dist/web.next-${process.pid}`);
  const old = resolve(`dist/web.old-${process.pid}`);
  try {
    await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: next, emptyOutDir: true } });
    if (existsSync(target)) renameSync(target, old);
    renameSync(next, target);
  } finally {
    rmSync(next, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}
