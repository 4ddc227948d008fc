import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package; no browser is ever downloaded (it cannot be, here). */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * True when the browser tests can run on this machine. In CI (`CI` set) a missing Chromium is a
 * failure, not a skip: .ci/run installs it.
 */
export function hasChromium(): boolean {
  if (existsSync(chromiumPath)) return true;
  if (process.env['CI'])
    throw new Error(`no Chromium at ${chromiumPath}: apt-get install chromium`);
  return false;
}

/** A headless Chromium with a fresh profile, deleted on close. */
export interface LaunchedBrowser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Start Debian's Chromium through playwright-core, headless, sandbox off (tests run as root),
 * nothing phoning home (no QUIC, no component updates, no sync), in a fresh user-data-dir;
 * `javaScriptEnabled: false` shows what a browser without scripts gets; `extraArgs` adds flags
 * (a host resolver rule, say).
 */
export async function launchBrowser(
  options: { javaScriptEnabled?: boolean; extraArgs?: string[] } = {},
): Promise<LaunchedBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'scribe-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.extraArgs ?? []),
    ],
    viewport: { width: 1100, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    timeout: 60_000,
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
