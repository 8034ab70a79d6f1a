import { existsSync } from 'node:fs';
import { build } from 'vite';

/** Builds the web app once before the run, so browser tests drive what `npm start` would serve. */
export default async function setup(): Promise<void> {
  if (!existsSync('web/index.html')) return;
  await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
}
