import { expect } from 'chai';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { seriousViolations } from './axe.js';
import { launchBrowser, type LaunchedBrowser } from './browser.js';

/** Where the console tests write each page's screenshot (git-ignored). */
export const screenshotDir = join(process.cwd(), 'console-screenshots');

/**
 * Watch a page for what its browser console shows as wrong: CSP violations (the event, and
 * Chromium's report), failed script runs, and every console error, such as a resource that
 * answered 404. Only the page's own document may answer an error status (a test that expects a
 * refusal asks for it). Read the CSP events with `cspViolations(page)`. The listener is added
 * through the DevTools protocol, so the page's own CSP does not apply to it.
 */
export async function watchCsp(page: Page): Promise<string[]> {
  const reports: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content.Security.Policy/i.test(text)) return void reports.push(text);
    if (message.type() !== 'error') return;
    const from = message.location().url;
    const ownDocument = from === page.url() && /^Failed to load resource/.test(text);
    if (!ownDocument) reports.push(`console error: ${text} (${from})`);
  });
  page.on('pageerror', (err) => reports.push(`page error: ${err.message}`));
  await page.addInitScript(`
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  `);
  return reports;
}

/** Violations the page itself saw since it loaded. */
export async function cspViolations(page: Page): Promise<string[]> {
  return (await page.evaluate('window.__csp || []')) as string[];
}

/**
 * What every console page must be: no serious or critical axe finding, no CSP violation, the
 * admin token nowhere in its HTML; then its screenshot is saved as `name`.png.
 */
export async function checkPage(
  page: Page,
  name: string,
  secrets: { adminToken: string },
  reports: string[],
): Promise<void> {
  await page.waitForLoadState('load');
  const violations = await seriousViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  expect(await cspViolations(page), `${name}: CSP violations`).to.deep.equal([]);
  expect(reports, `${name}: CSP reports and console errors`).to.deep.equal([]);
  expect(await page.content(), `${name}: the admin token in the page`).to.not.include(
    secrets.adminToken,
  );
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

/** A fresh Chromium with one console tab, watched for CSP violations, and the moves tests make. */
export class ConsoleTab {
  private constructor(
    readonly browser: LaunchedBrowser,
    readonly page: Page,
    readonly reports: string[],
    private readonly adminToken: string,
  ) {}

  static async open(
    adminToken: string,
    options: { javaScriptEnabled?: boolean } = {},
  ): Promise<ConsoleTab> {
    const browser = await launchBrowser(options);
    const page = await browser.newPage();
    return new ConsoleTab(browser, page, await watchCsp(page), adminToken);
  }

  /** The checks every page must pass, then its screenshot. */
  check(name: string): Promise<void> {
    return checkPage(this.page, name, { adminToken: this.adminToken }, this.reports);
  }

  /** A button or link by its accessible name, as a screen reader (or keyboard user) finds it. */
  button(name: string): Locator {
    return this.page
      .getByRole('button', { name, exact: true })
      .or(this.page.getByRole('link', { name, exact: true }));
  }

  /** Activate a button or link and wait for the page it leads to (after any redirect). */
  async follow(name: string): Promise<void> {
    await Promise.all([this.page.waitForNavigation(), this.button(name).click()]);
  }

  /** Follow a link of the navigation bar. */
  async nav(name: string): Promise<void> {
    const link = this.page.getByRole('navigation').getByRole('link', { name, exact: true });
    await Promise.all([this.page.waitForNavigation(), link.click()]);
  }

  close(): Promise<void> {
    return this.browser.close();
  }
}
