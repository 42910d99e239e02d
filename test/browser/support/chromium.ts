import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Screenshots of the main screens; CI prints the test-artifacts folder. */
export const SCREENSHOT_DIR = path.resolve(here, '../../../test-artifacts/screenshots');

/** Debian's chromium (installed by .ci/run): playwright cannot download its own browsers here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches headless chromium; with `fakeVideo` (a .y4m file) the camera shows that video in a loop. */
export async function launchChromium(options: { fakeVideo?: string } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (CI installs it)`);
  }
  const args = [...BASE_ARGS];
  if (options.fakeVideo) {
    args.push(
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${options.fakeVideo}`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args, headless: true });
}

/** A phone-sized or desktop context on the app, with camera permission granted and French locale. */
export async function newContext(
  browser: Browser,
  baseUrl: string,
  kind: 'phone' | 'desktop' = 'desktop',
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    acceptDownloads: true,
    ...(kind === 'phone'
      ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 900 } }),
  });
  await context.grantPermissions(['camera'], { origin: baseUrl });
  return context;
}

/** Collects console errors and CSP violations, so a test fails on them instead of ignoring them. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    if (
      message.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of (4\d\d)/.test(message.text())
    ) {
      errors.push(`console: ${message.text()}`);
    }
  });
  return errors;
}

/** Saves a full-page screenshot under test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
