import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { demoEmail, TEST_PASSWORD } from '../support/app';
import { type BrowserApp, buildWebIfStale, startBrowserApp } from './support/browser-app';
import { launchChromium, newContext, screenshot, watchPageErrors } from './support/chromium';
import { decodeQrPng, imageToY4m, renderPassPng } from './support/fake-camera';

// The whole life of a pass through the web app, in headless Chromium on the built app (same CSP as
// production): a funder orders a batch, operator finance records its funding and activates it, a venue
// agent scans a real pass from the rendered booklet through a fake camera and redeems it, a second scan is
// refused, operator finance runs the settlement, and the treasurer downloads the statement.

/** A link of the main menu (the operator's home repeats them as tiles). */
function menu(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name, exact: true });
}

async function logIn(page: Page, role: Parameters<typeof demoEmail>[0]): Promise<void> {
  await page.goto('/connexion');
  await page.getByLabel('Adresse électronique').fill(demoEmail(role));
  await page.getByLabel('Mot de passe').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
}

describe('web app: the life of a pass (browser)', function () {
  this.timeout(240_000);
  let app: BrowserApp;
  let browser: Browser | undefined;
  let work: string;
  const pageErrors: string[] = [];
  let batchReference = '';
  let bookletsPdf = '';
  let scannedPayload = '';

  before(async () => {
    await buildWebIfStale();
    app = await startBrowserApp();
    work = mkdtempSync(path.join(tmpdir(), 'pass-web-'));
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    if (work && !process.env.KEEP_BROWSER_WORK) rmSync(work, { recursive: true, force: true });
  });

  afterEach(function () {
    // A script error or a CSP refusal anywhere fails the step that caused it.
    if (this.currentTest?.state === 'passed') expect(pageErrors, pageErrors.join('\n')).to.deep.equal([]);
    pageErrors.length = 0;
  });

  it('lets a funder order a batch, confirm it, approve the proof and download the booklets', async () => {
    browser = await launchChromium();
    const context = await newContext(browser, app.baseUrl, 'desktop');
    const page = await context.newPage();
    pageErrors.push(...watchPageErrors(page));
    await logIn(page, 'funder_manager');
    await expect(page.getByRole('heading', { level: 1 })).to.exist;
    await page.getByRole('link', { name: 'Nouvelle commande' }).first().click();
    await page.getByLabel('Pass par carnet').selectOption('5');
    await page.getByLabel('Nombre de carnets').fill('2');
    await page
      .getByLabel('Texte de la couverture des carnets')
      .fill('Offert par le Département de l’Ardèche');
    // The live quote: 10 passes of 10 € plus the 4 % fee and VAT on it.
    await page.getByText('Total à payer').waitFor();
    await page.getByText('100,00').first().waitFor();
    await screenshot(page, '10-funder-order-form');
    await page.getByRole('button', { name: 'Enregistrer le brouillon de commande' }).click();

    await page.getByRole('heading', { name: /Commande LOT-/ }).waitFor();
    batchReference = (await page.getByRole('heading', { name: /Commande LOT-/ }).textContent())!
      .replace('Commande ', '')
      .trim();
    await page.getByRole('button', { name: 'Confirmer la commande' }).click();
    await page.getByText('10 pass prêts').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Valider le bon à tirer' }).click();
    const pdfButton = page.getByRole('button', { name: 'Télécharger les carnets (PDF)' });
    await pdfButton.waitFor({ timeout: 60_000 });
    await screenshot(page, '11-funder-batch-awaiting-funding');

    const download = page.waitForEvent('download');
    await pdfButton.click();
    bookletsPdf = path.join(work, 'carnets.pdf');
    await (await download).saveAs(bookletsPdf);
    expect(readFileSync(bookletsPdf).subarray(0, 5).toString()).to.equal('%PDF-');
    await context.close();
  });

  it('lets operator finance record the funding and activate the batch', async () => {
    const context = await newContext(browser!, app.baseUrl, 'desktop');
    const page = await context.newPage();
    pageErrors.push(...watchPageErrors(page));
    await logIn(page, 'operator_finance');
    await menu(page, 'Commandes').click();
    await page.getByRole('link', { name: batchReference }).click();
    await page.getByLabel('Référence (n° de mandat ou de virement)').fill('VIR-2026-0042');
    await page.getByRole('button', { name: 'Enregistrer le paiement' }).click();
    await page.getByRole('button', { name: 'Activer la commande' }).click();
    await page.getByText('Active', { exact: true }).first().waitFor();
    await screenshot(page, '20-finance-batch-activated');
    await context.close();
  });

  it('redeems a real pass scanned by the camera, then refuses the same pass', async () => {
    // The camera films pass n° 1 of the rendered booklet PDF (page 2: page 1 is the cover, if any).
    let passPng = '';
    for (const pageNumber of [1, 2, 3]) {
      const candidate = renderPassPng(bookletsPdf, pageNumber, 0, path.join(work, `pass-p${pageNumber}`));
      const text = decodeQrPng(candidate);
      if (text?.startsWith('PN1.')) {
        passPng = candidate;
        scannedPayload = text;
        break;
      }
    }
    expect(scannedPayload, 'a pass QR code in the booklet PDF').to.match(/^PN1\./);
    const video = imageToY4m(passPng, path.join(work, 'pass.y4m'));
    const camera = await launchChromium({ fakeVideo: video });
    try {
      const context = await newContext(camera, app.baseUrl, 'phone');
      const page = await context.newPage();
      pageErrors.push(...watchPageErrors(page));
      await logIn(page, 'venue_agent');
      await page.getByRole('heading', { name: 'Valider des pass' }).waitFor();
      await page.getByText('Atelier prise en main du smartphone').click();
      await page.getByText('Panier : 1 / 1 pass').waitFor({ timeout: 30_000 });
      await screenshot(page, '30-scanner-basket');
      await page.getByRole('button', { name: /Valider 1 pass/ }).click();
      await page.getByRole('heading', { name: 'Pass accepté' }).waitFor();
      await page.getByText('versés à l’association').waitFor();
      await page.getByRole('button', { name: 'Annuler cette validation' }).waitFor();
      await screenshot(page, '31-scanner-success');

      // The same pass, still in front of the camera, is refused as soon as it is read again.
      await page.getByRole('button', { name: 'Passage suivant' }).click();
      await page.getByRole('heading', { name: 'Pass refusé' }).waitFor({ timeout: 30_000 });
      const refusal = await page.getByRole('alert').textContent();
      expect(refusal).to.match(/déjà utilisé/);
      await screenshot(page, '32-scanner-refused');

      await menu(page, 'Validations du jour').click();
      await page.getByText('1 validation, 1 pass aujourd’hui.').waitFor();
      await screenshot(page, '33-venue-today');
      await context.close();
    } finally {
      await camera.close();
    }
  });

  it('lets operator finance run the settlement once the undo window has passed', async () => {
    app.testApp.clock.advance(25 * 3600 * 1000);
    const context = await newContext(browser!, app.baseUrl, 'desktop');
    const page = await context.newPage();
    pageErrors.push(...watchPageErrors(page));
    await logIn(page, 'operator_finance');
    await menu(page, 'Règlements').click();
    await page.getByRole('button', { name: 'Lancer le règlement' }).click();
    const statementRow = page.getByRole('region', { name: 'Relevés émis' }).getByRole('row').nth(1);
    await statementRow.getByRole('button', { name: 'PDF' }).waitFor({ timeout: 60_000 });
    const row = await statementRow.textContent();
    expect(row).to.contain('10,00');
    await screenshot(page, '40-finance-settlement');
    // No camt.054 in this test: the bank's answer is confirmed by hand.
    const payout = page.getByRole('region', { name: 'Virements', exact: true }).getByRole('row').nth(1);
    await payout.getByRole('button', { name: 'Payé' }).click();
    await payout.getByRole('button', { name: 'Payé' }).waitFor({ state: 'detached' });
    await context.close();
  });

  it('lets the treasurer download the statement as PDF and CSV', async () => {
    const context = await newContext(browser!, app.baseUrl, 'desktop');
    const page = await context.newPage();
    pageErrors.push(...watchPageErrors(page));
    await logIn(page, 'association_treasurer');
    await menu(page, 'Relevés').click();
    const row = page.getByRole('region', { name: 'Relevés de remboursement' }).getByRole('row').nth(1);
    await row.getByRole('button', { name: 'PDF' }).waitFor();
    await screenshot(page, '50-treasurer-statements');

    const pdfDownload = page.waitForEvent('download');
    await row.getByRole('button', { name: 'PDF' }).click();
    const pdf = path.join(work, 'releve.pdf');
    await (await pdfDownload).saveAs(pdf);
    expect(readFileSync(pdf).subarray(0, 5).toString()).to.equal('%PDF-');
    const text = execFileSync('pdftotext', [pdf, '-']).toString();
    expect(text).to.match(/10,00/);

    const csvDownload = page.waitForEvent('download');
    await row.getByRole('button', { name: 'CSV' }).click();
    const csv = path.join(work, 'releve.csv');
    await (await csvDownload).saveAs(csv);
    expect(readFileSync(csv, 'utf8')).to.match(/10,00/);

    await menu(page, 'Virements').click();
    const payout = page.getByRole('region', { name: 'Virements', exact: true }).getByRole('row').nth(1);
    await payout.filter({ hasText: 'Payé' }).waitFor();
    expect(await payout.textContent()).to.match(/10,00/);
    await screenshot(page, '51-treasurer-payouts');
    await menu(page, 'Validations par lieu').click();
    await page.getByRole('img', { name: /Pass validés par lieu/ }).waitFor();
    await screenshot(page, '52-treasurer-redemptions-by-venue');
    await context.close();
  });
});
