import { expect } from 'chai';
import { computeCheckSymbol } from '@pass/voucher-code';
import type { Browser, Page } from 'playwright-core';
import { demoEmail, TEST_PASSWORD } from '../support/app';
import { type BrowserApp, buildWebIfStale, startBrowserApp } from './support/browser-app';
import { launchChromium, newContext, screenshot, watchPageErrors } from './support/chromium';

// Every screen of every role opens under the production CSP without a script error, has one heading, labels
// every form control, and can be reached by keyboard; a screenshot of each is kept for review.

type Role = Parameters<typeof demoEmail>[0];

// Runs in the page (the root tsconfig has no DOM types, hence a string): form controls with no accessible
// name, i.e. no <label>, aria-label or aria-labelledby.
const UNLABELLED_CONTROLS = `[...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden')
  .filter((el) => (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120))`;

function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(UNLABELLED_CONTROLS) as Promise<string[]>;
}

/** A property of the focused element, read in the page. */
function focused(page: Page, property: 'tagName' | 'textContent' | 'id'): Promise<string | null> {
  return page.evaluate(`document.activeElement?.${property} ?? null`) as Promise<string | null>;
}

async function checkScreen(page: Page, name: string, errors: string[]): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  // Let the screen's own requests settle before judging it.
  await page.waitForLoadState('networkidle');
  expect(await page.getByRole('heading', { level: 1 }).count(), `${name}: one h1`).to.equal(1);
  expect(await unlabelledControls(page), `${name}: unlabelled controls`).to.deep.equal([]);
  expect(errors, `${name}: page errors`).to.deep.equal([]);
  await screenshot(page, name);
}

describe('web app: every screen (browser)', function () {
  this.timeout(180_000);
  let app: BrowserApp;
  let browser: Browser;

  before(async () => {
    await buildWebIfStale();
    app = await startBrowserApp();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows the public pages without login and gives live check-character feedback', async () => {
    const context = await newContext(browser, app.baseUrl, 'phone');
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto('/');
    await checkScreen(page, '01-public-home', errors);
    await page
      .getByRole('link', { name: /Vérifier un pass/ })
      .first()
      .click();
    const code = page.getByLabel('Code du pass');
    await code.fill('7K3M QX9P');
    await page.getByText('8 caractères sur 17.').waitFor();
    await code.fill('7K3M-QX9P-2D4F-HR8T-U');
    await page.getByText(/Le caractère « U » n’existe pas/).waitFor();
    expect(await page.getByRole('button', { name: 'Vérifier' }).isDisabled()).to.equal(true);
    await checkScreen(page, '02-public-check-pass', errors);
    await page.goto('/lieux');
    await page.getByLabel('Ou une commune, un code postal').fill('Privas');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.locator('.venue-list, .notice').first().waitFor();
    await checkScreen(page, '03-public-venues', errors);
    await context.close();
  });

  it('sends a person who is not logged in to the login page, and back after login', async () => {
    const context = await newContext(browser, app.baseUrl, 'desktop');
    const page = await context.newPage();
    await page.goto('/financeur/stocks');
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
    await page.getByLabel('Adresse électronique').fill(demoEmail('funder_manager'));
    await page.getByLabel('Mot de passe').fill('mauvais mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Adresse électronique ou mot de passe incorrect.').waitFor();
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Stocks des distributeurs' }).waitFor();
    // Another role's area sends the person back to their own home.
    await page.goto('/operateur/journal');
    await page.getByRole('heading', { name: 'Tableau de bord' }).waitFor();
    await context.close();
  });

  it('checks a typed code on the scanner before any request, then shows the server’s refusal', async () => {
    const context = await newContext(browser, app.baseUrl, 'phone');
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    await page.goto('/connexion');
    await page.getByLabel('Adresse électronique').fill(demoEmail('venue_agent'));
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Atelier prise en main du smartphone').click();
    await page.getByRole('button', { name: 'Saisir le code' }).click();
    const data = '7K3MQX9P2D4FHR8T';
    const code = data + computeCheckSymbol(data);
    const typo = data + (code.endsWith('0') ? '1' : '0');
    const input = page.getByLabel('Code du pass');
    await input.fill(typo.toLowerCase());
    await page.getByText(/Faute de frappe/).waitFor();
    expect(await page.getByRole('button', { name: 'Ajouter ce pass' }).isDisabled()).to.equal(true);
    await screenshot(page, '34-scanner-typed-typo');
    // A well-formed code that no pass has: the server's check refuses it at once.
    await input.fill(code);
    await page.getByText('Code complet : le caractère de contrôle est correct.').waitFor();
    await page.getByRole('button', { name: 'Ajouter ce pass' }).click();
    await page.getByRole('heading', { name: 'Pass refusé' }).waitFor();
    expect(await page.getByRole('alert').textContent()).to.match(/Code inconnu/);
    expect(errors).to.deep.equal([]);
    await context.close();
  });

  const roles: [Role, string][] = [
    ['venue_agent', 'lieu'],
    ['funder_manager', 'financeur'],
    ['distributor_agent', 'distributeur'],
    ['association_treasurer', 'tresorier'],
    ['operator_admin', 'admin'],
    ['operator_finance', 'finance'],
  ];
  for (const [role, short] of roles) {
    it(`opens every screen of the ${role} menu`, async () => {
      const context = await newContext(browser, app.baseUrl, role === 'venue_agent' ? 'phone' : 'desktop');
      const page = await context.newPage();
      const errors = watchPageErrors(page);
      await page.goto('/connexion');
      await page.getByLabel('Adresse électronique').fill(demoEmail(role));
      await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      const menu = page.getByRole('navigation', { name: 'Menu principal' });
      await menu.waitFor();
      const links = await menu
        .getByRole('link')
        .evaluateAll((as) => as.map((a) => new URL((a as unknown as { href: string }).href).pathname));
      expect(links.length).to.be.greaterThan(1);
      for (const [index, href] of links.entries()) {
        await menu.locator(`a[href="${href}"]`).click();
        await page.waitForURL(`**${href}`);
        await checkScreen(
          page,
          `60-${short}-${String(index).padStart(2, '0')}${href.replaceAll('/', '-')}`,
          errors,
        );
      }
      // Keyboard: after an in-app navigation focus is on the new heading; on a fresh load the skip link is
      // the first stop and leads to the content.
      expect(await focused(page, 'tagName')).to.equal('H1');
      await page.reload();
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.keyboard.press('Tab');
      expect(await focused(page, 'textContent')).to.equal('Aller au contenu');
      await page.keyboard.press('Enter');
      expect(await focused(page, 'id')).to.equal('contenu');
      await context.close();
    });
  }
});
