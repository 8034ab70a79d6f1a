// The named export: the package's types are CommonJS, where the default import is the whole module.
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh browser profile (its own cookies and storage), as a second person at another desk.
 * Playwright gives each context its own temporary profile inside the launched browser.
 */
export async function openContext(browser: Browser): Promise<BrowserContext> {
  // Reduced motion: dialogs and menus appear and go at once, so axe never sees one half-faded.
  const context = await browser.newContext({ acceptDownloads: true, locale: 'en-US', timezoneId: 'America/Chicago', reducedMotion: 'reduce' });
  // Shared CI machines are slow: wait generously for the page, never for a fixed time.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  return context;
}

/** Fails with a readable list when axe finds accessibility problems on the page as it is now. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  if (results.violations.length === 0) return;
  const lines = results.violations.map((violation) => {
    const nodes = violation.nodes
      .slice(0, 5)
      .map((node) => `      ${node.target.join(' ')}\n        ${node.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`)
      .join('\n');
    return `  - ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n${nodes}`;
  });
  throw new Error(`Accessibility problems on ${page.url()}:\n${lines.join('\n')}`);
}
