import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Role } from '@pass/auth';
import { expect } from 'chai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { buildCamt054, endToEndIdFromPayoutId } from '../../services/settlement/src/sepa';
import { demoEmail, TEST_PASSWORD } from '../support/app';
import { type BrowserApp, buildWebIfStale, startBrowserApp } from './support/browser-app';
import { launchChromium, newContext, screenshot, watchPageErrors } from './support/chromium';
import { type ActiveBatch, apiAs, createActiveBatch, passCodes } from './support/workflow-data';

// The workflows of issue #8 that pass-lifecycle and screens do not drive: undo at the venue, the
// distributor's stock and hand-outs, revocation, venue import, camt.054 bank returns, the four-eyes bank
// change (asked by the treasurer, or entered by an operator), the funder dashboard's figures and charts, and
// keyboard-only use of login and scanner. One app and one browser for the file; each role keeps one logged-in
// tab (the login rate limit is 20 a minute).

const here = path.dirname(fileURLToPath(import.meta.url));
const VENUE_FIXTURE = path.join(here, 'fixtures', 'hinaura-venues-sample.csv');
const UNDO_WINDOW_MS = 24 * 3600 * 1000;

function menu(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name, exact: true });
}

/** A captioned DataTable (a region named by its caption), once its rows have arrived. */
async function loadedTable(page: Page, caption: string): Promise<Locator> {
  const table = page.getByRole('region', { name: caption, exact: true });
  await table.and(page.locator('[aria-busy="false"]')).waitFor();
  return table;
}

/** Selects the option of a <select> whose text contains `text` (labels carry counts that change). */
async function selectContaining(select: Locator, text: string): Promise<void> {
  const option = select.locator('option', { hasText: text });
  await option.waitFor({ state: 'attached' });
  await select.selectOption((await option.getAttribute('value'))!);
}

/** The value shown by a StatCard of the page. */
function statValue(scope: Page | Locator, label: string): Locator {
  return scope.locator(`.stat:has(> .stat-label:text-is("${label}")) > .stat-value`);
}

// Runs in the page (no DOM types in the root tsconfig): visible inputs, selects, textareas and buttons whose
// accessible name is empty (label, aria-label, aria-labelledby, or a button's text/title).
const NAMELESS_CONTROLS = `[...document.querySelectorAll('input, select, textarea, button')]
  .filter((el) => el.type !== 'hidden' && el.getClientRects().length > 0)
  .filter((el) => {
    const byIds = (el.getAttribute('aria-labelledby') ?? '').split(/\\s+/).filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
    const labels = [...(el.labels ?? [])].map((l) => l.textContent ?? '').join(' ');
    const own = el.tagName === 'BUTTON' ? (el.textContent ?? '') + (el.title ?? '') : '';
    return ((el.getAttribute('aria-label') ?? '') + byIds + labels + own).trim() === '';
  })
  .map((el) => el.outerHTML.slice(0, 120))`;

// The focused element, and whether the focus ring is visible on it (outline or box-shadow).
const FOCUS_STATE = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return { tag: 'BODY', name: '', visible: false, focusVisible: false };
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
  const name = (el.getAttribute('aria-label') || [...(el.labels ?? [])].map((l) => l.textContent).join(' ')
    || el.textContent || '').trim();
  return { tag: el.tagName, type: el.type ?? '', name, visible: outline || shadow, focusVisible: el.matches(':focus-visible') };
})()`;

interface FocusState {
  tag: string;
  type?: string;
  name: string;
  visible: boolean;
  focusVisible: boolean;
}

describe('web app: workflows of issue #8 (browser)', function () {
  this.timeout(120_000);
  let app: BrowserApp;
  let browser: Browser;
  let work: string;
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];
  const rolePages = new Map<string, Page>();
  /** The demo batch (Ardèche, 2 booklets of 10: booklet 1 handed out, booklet 2 in the distributor's stock). */
  let demoBatchId = '';
  let demoCodes: string[] = [];
  /** A second active batch of 3 booklets of 5, all still with the funder. */
  let stockBatch: ActiveBatch;

  before(async () => {
    await buildWebIfStale();
    app = await startBrowserApp();
    browser = await launchChromium();
    work = mkdtempSync(path.join(tmpdir(), 'pass-web-workflows-'));
    demoBatchId = app.testApp.demo.ids.batchId!;
    demoCodes = await passCodes(app.testApp, demoBatchId, 1, 20);
    stockBatch = await createActiveBatch(app.testApp, { bookletSize: 5, bookletCount: 3 });
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await app?.close();
    if (work && !process.env.KEEP_BROWSER_WORK) rmSync(work, { recursive: true, force: true });
  });

  afterEach(function () {
    // A script error or a CSP refusal anywhere fails the step that caused it.
    if (this.currentTest?.state === 'passed') expect(pageErrors, pageErrors.join('\n')).to.deep.equal([]);
    pageErrors.length = 0;
  });

  async function freshPage(kind: 'phone' | 'desktop', installClock = false): Promise<Page> {
    const context = await newContext(browser, app.baseUrl, kind);
    contexts.push(context);
    // The browser's clock ticks normally from now; a test may jump it forward (undo window).
    if (installClock) await context.clock.install();
    const page = await context.newPage();
    pageErrors.push(...watchPageErrors(page));
    return page;
  }

  async function logIn(page: Page, role: Role): Promise<void> {
    await page.goto('/connexion');
    await page.getByLabel('Adresse électronique').fill(demoEmail(role));
    await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
  }

  /** The role's logged-in tab (tokens live in the tab's sessionStorage), created on first use. */
  async function pageAs(role: Role, key: string = role): Promise<Page> {
    let page = rolePages.get(key);
    if (!page) {
      page = await freshPage(role === 'venue_agent' ? 'phone' : 'desktop', role === 'venue_agent');
      await logIn(page, role);
      rolePages.set(key, page);
    }
    return page;
  }

  /** On the scanner: the one-pass service, typed codes, sent; waits for the success screen. */
  async function redeemTyped(page: Page, code: string): Promise<void> {
    await openScanner(page);
    await page.getByLabel('Code du pass').fill(code);
    await page.getByRole('button', { name: 'Ajouter ce pass' }).click();
    await page.getByRole('heading', { name: 'Panier : 1 / 1 pass' }).waitFor();
    await page.getByRole('button', { name: /^Valider 1 pass/ }).click();
    await page.getByRole('heading', { name: 'Pass accepté' }).waitFor();
  }

  async function openScanner(page: Page): Promise<void> {
    // Always a fresh scanner (an answer screen of an earlier step is left by the menu).
    await menu(page, 'Validations du jour').click();
    await page.getByRole('heading', { name: 'Validations du jour' }).waitFor();
    await menu(page, 'Valider des pass').click();
    await page.getByRole('heading', { name: 'Valider des pass' }).waitFor();
    const atelier = page.getByRole('radio', { name: /Atelier prise en main du smartphone/ });
    const typing = page.getByRole('button', { name: 'Saisir le code' });
    await atelier.or(typing).first().waitFor();
    // Choosing a service closes the list at once (so click, not check).
    if (await atelier.isVisible()) await atelier.click();
    await typing.click();
  }

  it('lets the venue agent undo a redemption from the success screen and from today’s list', async () => {
    const page = await pageAs('venue_agent');
    await redeemTyped(page, demoCodes[0]!);
    await page.getByText(/Possible encore \d+ h/).waitFor();
    await page.getByRole('button', { name: 'Annuler cette validation' }).click();
    await page.getByRole('heading', { name: 'Validation annulée' }).waitFor();
    await page.getByText('Les pass sont de nouveau utilisables.').waitFor();
    await screenshot(page, '70-venue-undone-from-success');

    // The pass is usable again: redeemed a second time, then undone from « Validations du jour ».
    await page.getByRole('button', { name: 'Passage suivant' }).click();
    await redeemTyped(page, demoCodes[0]!);
    await menu(page, 'Validations du jour').click();
    const table = await loadedTable(page, 'Validations enregistrées aujourd’hui');
    await page.getByText('1 validation, 1 pass aujourd’hui.').waitFor();
    const live = table.getByRole('row').filter({ hasText: 'Validée' });
    expect(await live.count()).to.equal(1);
    expect(await table.getByRole('row').filter({ hasText: 'Annulée' }).count()).to.equal(1);
    await live.getByRole('button', { name: 'Annuler' }).click();
    await page.getByText('0 validation, 0 pass aujourd’hui.').waitFor();
    expect(await table.getByRole('row').filter({ hasText: 'Annulée' }).count()).to.equal(2);
    expect(await table.getByRole('button', { name: 'Annuler' }).count()).to.equal(0);
    await screenshot(page, '71-venue-today-undone');
  });

  it('lets the funder hand booklets to a distributor picked from a list, and the distributor hand them out', async () => {
    const funder = await pageAs('funder_manager');
    await funder.goto(`/financeur/commandes/${stockBatch.id}`);
    await funder.getByRole('heading', { name: `Commande ${stockBatch.reference}` }).waitFor();
    // A picker of the funder's own distributors, not a typed identifier.
    const picker = funder.getByRole('combobox', { name: 'Distributeur' });
    await picker.waitFor();
    expect(await funder.getByLabel('Identifiant du distributeur').count()).to.equal(0);
    await picker.selectOption({ label: 'France Services Privas (Privas)' });
    await funder.getByLabel('Du carnet n°').fill('1');
    await funder.getByLabel('Au carnet n°').fill('3');
    await funder.getByRole('button', { name: 'Confier ces carnets' }).click();
    await funder.getByText('3 carnets (15 pass) confiés au distributeur.').waitFor();
    const byDistributor = await loadedTable(funder, 'Stock par distributeur (carnets)');
    await byDistributor.getByRole('row', { name: /France Services Privas 3/ }).waitFor();
    await screenshot(funder, '72-funder-batch-handed-to-distributor');

    const distributor = await pageAs('distributor_agent');
    await menu(distributor, 'Mon stock').click();
    const stock = await loadedTable(distributor, 'Carnets en stock par commande');
    const row = stock.getByRole('row').filter({ hasText: stockBatch.reference });
    await row.waitFor();
    expect((await row.getByRole('cell').allTextContents()).slice(0, 4)).to.deep.equal([
      stockBatch.reference,
      '3',
      '1 à 3',
      '15',
    ]);
    await screenshot(distributor, '73-distributor-stock');

    // A whole booklet to a beneficiary known by a pseudonymous file number, then one single pass.
    await menu(distributor, 'Remettre un carnet').click();
    const batchChoice = distributor.getByRole('combobox', { name: 'Commande' });
    await selectContaining(batchChoice, stockBatch.reference);
    expect(await batchChoice.locator('option:checked').textContent()).to.contain('3 carnets en stock');
    await distributor.getByRole('combobox', { name: 'Remettre' }).selectOption({ label: 'Un carnet entier' });
    await distributor.getByLabel('Numéro du carnet').fill('1');
    await distributor.getByLabel('Référence du bénéficiaire (facultatif)').fill('DIAG-2026-0142');
    await distributor.getByRole('button', { name: 'Enregistrer la remise' }).click();
    await distributor.getByText('Carnet n° 1 : 5 pass remis (50,00 €).').waitFor();
    await distributor.getByText('Le carnet quitte votre stock.').waitFor();
    await screenshot(distributor, '74-distributor-hand-out');
    // Handed out whole, booklet 1 has left the stock: 2 booklets, 10 passes to hand out.
    await menu(distributor, 'Mon stock').click();
    const afterWhole = (await loadedTable(distributor, 'Carnets en stock par commande'))
      .getByRole('row')
      .filter({ hasText: stockBatch.reference });
    await afterWhole.getByRole('cell', { name: '2 à 3', exact: true }).waitFor();
    expect((await afterWhole.getByRole('cell').allTextContents()).slice(0, 4)).to.deep.equal([
      stockBatch.reference,
      '2',
      '2 à 3',
      '10',
    ]);
    await menu(distributor, 'Remettre un carnet').click();

    await selectContaining(batchChoice, stockBatch.reference);
    await distributor.getByRole('combobox', { name: 'Remettre' }).selectOption({ label: 'Un seul pass' });
    await distributor.getByLabel('Numéro de série du pass').fill('6');
    await distributor.getByLabel('Référence du bénéficiaire (facultatif)').fill('DIAG-2026-0143');
    await distributor.getByRole('button', { name: 'Enregistrer la remise' }).click();
    await distributor.getByText('Carnet n° 2 : 1 pass remis (10,00 €).').waitFor();
    await distributor.getByText('Le carnet reste dans votre stock avec ses pass non remis.').waitFor();

    // Booklet 3 goes back to the funder.
    await menu(distributor, 'Retourner des carnets').click();
    const returnChoice = distributor.getByRole('combobox', { name: 'Commande' });
    await selectContaining(returnChoice, stockBatch.reference);
    // Booklet 1, handed out whole, is no longer offered; booklet 2 (one pass handed out) still is.
    expect(await returnChoice.locator('option:checked').textContent()).to.contain('carnets 2 à 3');
    await distributor.getByLabel('Du carnet n°').fill('3');
    await distributor.getByRole('button', { name: 'Retourner au financeur' }).click();
    await distributor.getByText('1 carnet (5 pass) rendu au financeur.').waitFor();
    await screenshot(distributor, '75-distributor-return');

    await menu(distributor, 'Mon stock').click();
    const after = await loadedTable(distributor, 'Carnets en stock par commande');
    const afterRow = after.getByRole('row').filter({ hasText: stockBatch.reference });
    await afterRow.waitFor();
    // Only booklet 2 is left, with its 4 passes not handed out.
    await afterRow.getByRole('cell', { name: '4', exact: true }).waitFor();
    expect((await afterRow.getByRole('cell').allTextContents()).slice(0, 4)).to.deep.equal([
      stockBatch.reference,
      '1',
      '2',
      '4',
    ]);

    // The funder's « stocks des distributeurs » shows what is left with the distributor.
    await menu(funder, 'Stocks des distributeurs').click();
    const stocks = await loadedTable(funder, 'Carnets en stock, par distributeur et par commande');
    const stockRow = stocks.getByRole('row').filter({ hasText: stockBatch.reference });
    await stockRow.waitFor();
    expect(await stockRow.getByRole('cell').allTextContents()).to.deep.equal([
      'France Services Privas',
      stockBatch.reference,
      '1',
    ]);
    await screenshot(funder, '76-funder-stocks-by-distributor');
  });

  it('lets the funder revoke a pass and a returned booklet; the scanner then refuses the pass as cancelled', async () => {
    const funder = await pageAs('funder_manager');
    await funder.goto(`/financeur/commandes/${demoBatchId}`);
    const revoke = funder.getByRole('region', { name: 'Révoquer des pass' });
    await revoke.waitFor();
    await revoke
      .getByRole('combobox', { name: 'Quoi' })
      .selectOption({ label: 'Un pass (par son numéro de série)' });
    await revoke.getByRole('combobox', { name: 'Motif' }).selectOption({ label: 'Perdu' });
    await revoke.getByLabel('Numéro de série').fill('7');
    await revoke.getByRole('button', { name: 'Révoquer' }).click();
    await revoke.getByText('1 pass annulé (10,00 €).').waitFor();
    await screenshot(funder, '77-funder-revoked-pass');

    await funder.goto(`/financeur/commandes/${stockBatch.id}`);
    const revokeBooklet = funder.getByRole('region', { name: 'Révoquer des pass' });
    await revokeBooklet
      .getByRole('combobox', { name: 'Quoi' })
      .selectOption({ label: 'Un carnet (par son numéro)' });
    await revokeBooklet.getByRole('combobox', { name: 'Motif' }).selectOption({ label: 'Volé' });
    await revokeBooklet.getByLabel('Numéro du carnet').fill('3');
    await revokeBooklet.getByRole('button', { name: 'Révoquer' }).click();
    await revokeBooklet.getByText('5 pass annulés (50,00 €).').waitFor();

    const venue = await pageAs('venue_agent');
    await openScanner(venue);
    await venue.getByLabel('Code du pass').fill(demoCodes[6]!);
    await venue.getByRole('button', { name: 'Ajouter ce pass' }).click();
    await venue.getByRole('heading', { name: 'Pass refusé' }).waitFor();
    expect(await venue.getByRole('alert').textContent()).to.match(/Pass annulé \(perdu\)\./i);
    await screenshot(venue, '78-scanner-refuses-cancelled-pass');
    await venue.getByRole('button', { name: 'Passage suivant' }).click();
    await venue.getByRole('heading', { name: 'Valider des pass' }).waitFor();
  });

  it('refuses an undo once the window is over, and the undo button goes when the countdown ends', async () => {
    const venue = await pageAs('venue_agent');
    await redeemTyped(venue, demoCodes[1]!);
    const undo = venue.getByRole('button', { name: 'Annuler cette validation' });
    await undo.waitFor();

    // A second tab opened while the window is open shows the undo button in today's list.
    const other = await pageAs('venue_agent', 'venue-second-tab');
    await menu(other, 'Validations du jour').click();
    const table = await loadedTable(other, 'Validations enregistrées aujourd’hui');
    await other.getByText('1 validation, 1 pass aujourd’hui.').waitFor();

    // The server's clock passes the window: both undo attempts are refused in plain French.
    app.testApp.clock.advance(UNDO_WINDOW_MS + 60_000);
    await table
      .getByRole('row')
      .filter({ hasText: 'Validée' })
      .getByRole('button', { name: 'Annuler' })
      .click();
    await other.getByText('Le délai d’annulation est dépassé.').waitFor();
    expect(await table.getByRole('row').filter({ hasText: 'Validée' }).count()).to.equal(1);
    await screenshot(other, '79-venue-today-undo-refused');

    await undo.click();
    await venue.getByText('Le délai d’annulation est dépassé.').waitFor();
    expect(await venue.getByRole('heading', { name: 'Pass accepté' }).count()).to.equal(1);
    // The phone's clock reaches the deadline too: the countdown ends and the button goes.
    await venue.context().clock.fastForward(UNDO_WINDOW_MS + 120_000);
    await undo.waitFor({ state: 'detached' });
    await screenshot(venue, '80-scanner-undo-window-over');
  });

  it('shows the funder dashboard’s counts and charts after a redemption', async () => {
    const funder = await pageAs('funder_manager');
    await menu(funder, 'Tableau de bord').click();
    await loadedTable(funder, 'Par commande');
    const overview = funder.locator('.stats').first();
    // Demo batch: 20 issued, booklet 1 (10) handed out, pass 2 used, pass 7 revoked. Second batch: 15 issued,
    // booklet 1 (5) and pass 6 handed out, booklet 3 (5) revoked.
    const figures = {
      'Pass émis': '35',
      Distribués: '16',
      Utilisés: '1',
      Annulés: '6',
      Expirés: '0',
    };
    for (const [label, value] of Object.entries(figures)) {
      expect(await statValue(overview, label).textContent(), label).to.equal(value);
    }
    const byVenue = funder.getByRole('img', { name: /^Pass utilisés par lieu/ });
    await byVenue.waitFor();
    expect(await byVenue.getAttribute('aria-labelledby')).to.match(/\S+ \S+/);
    const venueName = await byVenue.evaluate(
      (svg) =>
        (svg as unknown as { querySelector(s: string): { textContent: string } | null }).querySelector('desc')
          ?.textContent,
    );
    expect(venueName).to.equal('Espace Public Numérique Alboussière : 1');
    await funder.getByRole('img', { name: /^Pass utilisés par commune .*: 1/ }).waitFor();
    await funder
      .getByRole('img', { name: /^Pass utilisés par service Atelier prise en main du smartphone : 1/ })
      .waitFor();
    await funder
      .getByRole('img', { name: /^Évolution mensuelle .*Utilisés : [^;]*\d{4}-\d{2} 1 ;/ })
      .waitFor();
    expect(await funder.locator('svg[role="img"] title').count()).to.equal(4);
    await screenshot(funder, '81-funder-dashboard');
  });

  it('lets operator finance upload the bank’s camt.054: the payout is matched and becomes paid', async () => {
    const finance = await pageAs('operator_finance');
    await menu(finance, 'Règlements').click();
    await finance.getByRole('button', { name: 'Lancer le règlement' }).click();
    const payouts = finance.getByRole('region', { name: 'Virements', exact: true });
    const payoutRow = payouts.getByRole('row').filter({ hasText: 'Inforoutes' });
    await payoutRow.getByRole('button', { name: 'Payé' }).waitFor({ timeout: 60_000 });
    expect(await payoutRow.textContent()).to.contain('10,00');

    // The bank's notification about that transfer, keyed on the EndToEndId of the pain.001 it was in.
    const list = await apiAs<{
      items: { id: string; endToEndId: string; amount: { amount: string }; status: string }[];
    }>(app.testApp, 'operator_finance', 'get', '/settlement/payouts?status=exported');
    expect(list.items).to.have.length(1);
    const payout = list.items[0]!;
    expect(payout.endToEndId).to.equal(endToEndIdFromPayoutId(payout.id));
    const bookingDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(
      app.testApp.clock.now(),
    );
    const xml = buildCamt054({
      messageId: 'CAMT054-E2E-0001',
      createdAt: app.testApp.clock.now(),
      account: { iban: app.testApp.config.operator.iban },
      entries: [{ kind: 'paid', endToEndId: payout.endToEndId, amountCents: 1000n, bookingDate }],
    });
    const file = path.join(work, 'camt054.xml');
    writeFileSync(file, xml);

    await menu(finance, 'Retours bancaires').click();
    await finance.getByLabel('Fichier camt.054 (XML)').setInputFiles(file);
    await finance.getByRole('button', { name: 'Déposer le fichier' }).click();
    await finance.getByText('Fichier traité').waitFor();
    await finance.getByText('Message CAMT054-E2E-0001 : 1 payé(s), 0 rejeté(s), 0 non reconnu(s).').waitFor();
    const lines = await loadedTable(finance, 'Lignes du fichier');
    const line = lines.getByRole('row').filter({ hasText: payout.endToEndId });
    expect(await line.getByRole('cell').nth(4).textContent()).to.equal('Payé');
    expect(await line.getByRole('cell').nth(2).textContent()).to.contain('10,00');
    await screenshot(finance, '82-finance-camt054-report');

    await menu(finance, 'Règlements').click();
    const paidRow = (await loadedTable(finance, 'Virements'))
      .getByRole('row')
      .filter({ hasText: 'Inforoutes' });
    await paidRow.filter({ hasText: 'Payé' }).waitFor();
    expect(await paidRow.getByRole('button', { name: 'Payé' }).count()).to.equal(0);
  });

  it('lets the treasurer request a bank change that a second operator approves (four eyes)', async () => {
    const treasurer = await pageAs('association_treasurer');
    await menu(treasurer, 'Coordonnées bancaires').click();
    await treasurer.getByRole('heading', { name: 'Compte de remboursement' }).waitFor();
    await treasurer.getByLabel('Titulaire du compte').fill('ASSOCIATION INFOROUTES ARDECHE');
    await treasurer.getByLabel('IBAN').fill('FR76 3000 4000 0312 3456 7890 143');
    await treasurer.getByLabel('BIC').fill('BNPAFRPPXXX');
    await treasurer.getByRole('button', { name: 'Envoyer la demande' }).click();
    await treasurer.getByText('Demande en attente').waitFor();
    await screenshot(treasurer, '83-treasurer-bank-change-requested');

    const admin = await pageAs('operator_admin');
    await menu(admin, 'Changements de RIB').click();
    const queue = await loadedTable(admin, 'Demandes de changement de RIB');
    const row = queue.getByRole('row').filter({ hasText: 'Inforoutes' });
    await row.getByRole('button', { name: 'Approuver' }).click();
    await queue.getByText('Aucune demande.').waitFor();
    await screenshot(admin, '84-operator-bank-change-approved');

    await treasurer.reload();
    const account = treasurer.getByRole('region', { name: 'Compte de remboursement' });
    await account.getByText('BNPAFRPPXXX').waitFor();
    expect(await account.textContent()).to.match(/FR76.*143/);
    expect(await treasurer.getByText('Demande en attente').count()).to.equal(0);
    const history = await loadedTable(treasurer, 'Historique des demandes');
    await history.getByRole('row').filter({ hasText: 'Approuvée' }).waitFor();
    await screenshot(treasurer, '85-treasurer-new-bank-account');
  });

  it('lets an operator enter a bank change that only a second operator can approve', async () => {
    const admin = await pageAs('operator_admin');
    await menu(admin, 'Changements de RIB').click();
    const form = admin.getByRole('form', { name: 'Saisir un changement de RIB' });
    await selectContaining(form.getByRole('combobox', { name: 'Association' }), 'Inforoutes');
    await form.getByLabel('Titulaire du compte').fill('INFOROUTES ARDECHE');
    // Live checks in French as soon as a field is left: a mistyped key, a BIC too short.
    const iban = form.getByLabel('IBAN');
    await iban.fill('FR14 2004 1010 0505 0001 3M02 607');
    await iban.blur();
    await form
      .getByText('La clé de contrôle de l’IBAN ne correspond pas : vérifiez chaque caractère.')
      .waitFor();
    expect(await iban.getAttribute('aria-invalid')).to.equal('true');
    const bic = form.getByLabel('BIC');
    await bic.fill('PSSTFR');
    await bic.blur();
    await form.getByText(/^Un BIC compte 8 ou 11 lettres et chiffres/).waitFor();
    await iban.fill('FR14 2004 1010 0505 0001 3M02 606');
    await form.getByText(/clé de contrôle de l’IBAN/).waitFor({ state: 'detached' });
    await bic.fill('PSSTFRPPLYO');
    await form.getByText(/^Un BIC compte/).waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Enregistrer le changement' }).click();
    await form.getByText('Changement enregistré').waitFor();
    await screenshot(admin, '89-operator-bank-change-entered');

    // The same operator cannot approve their own entry: the server refuses, the page says why.
    const queue = await loadedTable(admin, 'Demandes de changement de RIB');
    const row = queue.getByRole('row').filter({ hasText: 'Inforoutes' });
    await row.getByText('Saisie par vous : un autre opérateur doit approuver.').waitFor();
    await row.getByRole('button', { name: 'Approuver' }).click();
    await admin
      .getByText('Une autre personne que l’auteur de la demande doit l’approuver (quatre yeux).')
      .waitFor();
    expect(await row.getByRole('button', { name: 'Approuver' }).count()).to.equal(1);
    await screenshot(admin, '90-operator-bank-change-self-approval-refused');

    const finance = await pageAs('operator_finance');
    await menu(finance, 'Changements de RIB').click();
    const financeQueue = await loadedTable(finance, 'Demandes de changement de RIB');
    const financeRow = financeQueue.getByRole('row').filter({ hasText: 'Inforoutes' });
    expect(await financeRow.getByText('Saisie par vous').count()).to.equal(0);
    await financeRow.getByRole('button', { name: 'Approuver' }).click();
    await financeQueue.getByText('Aucune demande.').waitFor();

    const treasurer = await pageAs('association_treasurer');
    await treasurer.reload();
    const account = treasurer.getByRole('region', { name: 'Compte de remboursement' });
    await account.getByText('PSSTFRPPLYO').waitFor();
    expect(await account.textContent()).to.match(/FR14.*606/);
    expect(await account.textContent()).to.contain('INFOROUTES ARDECHE');
    await screenshot(treasurer, '91-treasurer-account-entered-by-operator');
  });

  it('lets an operator import venues: dry-run report per row, then confirm', async () => {
    const admin = await pageAs('operator_admin');
    await menu(admin, 'Import de lieux').click();
    await admin.getByLabel('Fichier des lieux').setInputFiles(VENUE_FIXTURE);
    await admin.getByRole('button', { name: 'Essai à blanc' }).click();
    await admin
      .getByRole('heading', { name: 'Rapport de l’essai à blanc (rien n’est enregistré)' })
      .waitFor();
    const dry = await loadedTable(admin, 'Détail par ligne');
    const outcome = async (name: string) =>
      (await dry.getByRole('row').filter({ hasText: name }).getByRole('cell').nth(2).textContent()) ?? '';
    expect(await dry.getByRole('row').count()).to.equal(6);
    expect(await outcome('Centre Social le Lavoir')).to.equal('Inchangé');
    expect(await outcome('LE POLYEDRE')).to.equal('Inchangé');
    expect(await outcome('ACAPASSAV')).to.equal('Mis à jour');
    expect(await outcome('Médiathèque de test Annemasse')).to.equal('Créé');
    const rejected = dry.getByRole('row').filter({ hasText: 'Rejeté' });
    expect(await rejected.count()).to.equal(1);
    // The report is in French, not the server's English detail.
    expect(await rejected.textContent()).to.contain('Pas de nom (nom)');
    expect(await dry.textContent()).not.to.match(/\bNo (name|SIRET)\b/);
    expect(await statValue(admin, 'À créer').textContent()).to.equal('1');
    expect(await statValue(admin, 'Rejetés').textContent()).to.equal('1');
    await screenshot(admin, '86-operator-venue-import-dry-run');

    await admin.getByRole('button', { name: 'Confirmer l’import' }).click();
    await admin.getByRole('heading', { name: 'Import effectué' }).waitFor();
    expect(await statValue(admin, 'Créés').textContent()).to.equal('1');
    expect(await statValue(admin, 'Mis à jour').textContent()).to.equal('1');
    await screenshot(admin, '87-operator-venue-import-done');
  });

  it('can be used by keyboard alone on the login and scanner pages, with named controls and a visible focus', async () => {
    const page = await freshPage('phone');
    const focusProblems: string[] = [];
    /** Presses Tab until `matches` holds for the focused element (at most 30 times), checking each focus ring. */
    async function tabTo(matches: (state: FocusState) => boolean, what: string): Promise<FocusState> {
      for (let i = 0; i < 30; i += 1) {
        await page.keyboard.press('Tab');
        const state = (await page.evaluate(FOCUS_STATE)) as FocusState;
        if (!state.visible || !state.focusVisible) focusProblems.push(`${state.tag} « ${state.name} »`);
        if (matches(state)) return state;
      }
      throw new Error(`Tab never reached ${what}`);
    }
    const nameless = () => page.evaluate(NAMELESS_CONTROLS) as Promise<string[]>;

    await page.goto('/connexion');
    await page.getByRole('heading', { name: 'Se connecter' }).waitFor();
    expect(await nameless(), 'login: controls without a name').to.deep.equal([]);
    await tabTo((s) => s.tag === 'INPUT' && s.type === 'email', 'the e-mail field');
    await page.keyboard.type(demoEmail('venue_agent'));
    await tabTo((s) => s.tag === 'INPUT' && s.type === 'password', 'the password field');
    await page.keyboard.type(TEST_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Valider des pass' }).waitFor();
    await page.getByRole('radio').first().waitFor();
    expect(await nameless(), 'scanner: controls without a name').to.deep.equal([]);

    // The service: the first radio of the list, chosen with Space; then the typed-code mode.
    await tabTo((s) => s.tag === 'INPUT' && s.type === 'radio', 'the service choice');
    await page.keyboard.press('Space');
    const basket = page.getByRole('heading', { name: /^Panier : 0 \/ \d pass$/ });
    await basket.waitFor();
    const needed = Number((await basket.textContent())!.match(/\/ (\d)/)![1]);
    await tabTo((s) => s.name === 'Saisir le code', 'the typed-code mode');
    await page.keyboard.press('Enter');
    await page.getByLabel('Code du pass').waitFor();
    // Focus moves to the field as it appears (a layout effect); wait for it rather than race the render.
    await page.waitForFunction("document.activeElement?.classList.contains('code-input')", undefined, {
      timeout: 5000,
    });
    expect(await nameless(), 'scanner (typing): controls without a name').to.deep.equal([]);
    for (let i = 0; i < needed; i += 1) {
      // Passes 12… of the demo batch (booklet 2, still with the distributor: redeemable).
      expect((await page.evaluate(FOCUS_STATE)) as FocusState).to.include({ tag: 'INPUT' });
      await page.keyboard.type(demoCodes[11 + i]!.replaceAll('-', ''));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: `Panier : ${i + 1} / ${needed} pass` }).waitFor();
    }
    await tabTo(
      (s) => s.tag === 'BUTTON' && s.name.startsWith(`Valider ${needed} pass`),
      'the validate button',
    );
    await page.keyboard.press('Enter');
    await page
      .getByRole('heading', { name: needed > 1 ? `${needed} pass acceptés` : 'Pass accepté' })
      .waitFor();
    expect(focusProblems, 'focused elements without a visible focus ring').to.deep.equal([]);
    await screenshot(page, '88-scanner-keyboard-only');
  });
});
