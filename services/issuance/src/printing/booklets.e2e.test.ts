import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  createKeyring,
  type VoucherPublicJwk,
  verifyVoucherPayload,
  voucherLookupHash,
} from '@pass/voucher-code';
import { expect } from 'chai';
import jsQR from 'jsqr';
import request from 'supertest';
import { createTestApp, type TestApp } from '../../../../test/support/app';
import { PAGE_WIDTH, SLOT_HEIGHT, SLOT_WIDTH, slotOrigin } from '../booklets/pass-geometry';
import { IssuanceKit } from '../testing/issuance-e2e-kit';
import { cropImage, readPng } from '../testing/read-png';

const run = promisify(execFile);
const DPI = 150;

function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('issuance: proof, booklet PDF, printer CSV and signed QR codes (e2e)', function () {
  this.timeout(90_000);
  let t: TestApp;
  let kit: IssuanceKit;
  let directory: string;
  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'issuance-booklets-'));
    t = await createTestApp({ config: { dataDir: directory } });
    kit = new IssuanceKit(t);
  });
  after(async () => {
    await t?.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function download(pathname: string) {
    return request(t.app)
      .get(`/api/v1${pathname}`)
      .set('Authorization', `Bearer ${await kit.token('funder_manager')}`)
      .buffer(true)
      .parse(binary);
  }

  it('renders the proof, then after approval the booklets whose QR codes decode to signed payloads', async () => {
    const batch = await kit.generatedBatch({ bookletCount: 2 });

    const tooEarly = await kit.get('funder_manager', `/batches/${batch.id}/booklets.pdf`);
    expect(tooEarly.status).to.equal(409);
    expect(tooEarly.body.code).to.equal('booklets_not_ready');
    const csvTooEarly = await kit.get('funder_manager', `/batches/${batch.id}/printer.csv`);
    expect(csvTooEarly.body.code).to.equal('proof_not_approved');

    const proof = await download(`/batches/${batch.id}/proof.pdf`);
    expect(proof.status).to.equal(200);
    expect(proof.headers['content-type']).to.equal('application/pdf');
    expect(proof.headers['content-disposition']).to.contain(`epreuve-${batch.reference}.pdf`);
    expect((proof.body as Buffer).subarray(0, 5).toString()).to.equal('%PDF-');
    expect(
      await t.db.knex('platform.audit_log').where({ action: 'batch.proof_downloaded', target_id: batch.id }),
    ).to.have.length(1);

    const approved = await kit.post('funder_manager', `/batches/${batch.id}/proof/approve`);
    expect(approved.status).to.equal(200);
    expect(approved.body.proof).to.deep.include({ approved: true });
    const rendered = await kit.waitFor(
      async () => {
        const res = await kit.get('funder_manager', `/batches/${batch.id}`);
        if (res.body.bookletsPdf?.state === 'failed') throw new Error(res.body.bookletsPdf.lastError);
        return res.body.bookletsPdf?.state === 'completed' ? res.body.bookletsPdf : undefined;
      },
      'booklet rendering',
      60_000,
    );
    expect(rendered).to.deep.include({ renderedPasses: 20, totalPasses: 20 });

    const pdf = await download(`/batches/${batch.id}/booklets.pdf`);
    expect(pdf.status).to.equal(200);
    expect(Number(pdf.headers['content-length'])).to.equal((pdf.body as Buffer).length);
    const file = path.join(directory, 'downloaded.pdf');
    await writeFile(file, pdf.body as Buffer);
    // Page 1 is the cover of booklet 1, page 2 its ten passes: serial 1 is in the top-left slot.
    await run('pdftoppm', [
      '-png',
      '-r',
      String(DPI),
      '-gray',
      '-f',
      '2',
      '-l',
      '2',
      '-singlefile',
      file,
      `${file}-p2`,
    ]);
    const page = readPng(await readFile(`${file}-p2.png`));
    const scale = page.width / PAGE_WIDTH;
    const origin = slotOrigin(0);
    const slot = cropImage(
      page,
      Math.round(origin.x * scale),
      Math.round(origin.y * scale),
      Math.floor(SLOT_WIDTH * scale),
      Math.floor(SLOT_HEIGHT * scale),
    );
    const decoded = jsQR(slot.data, slot.width, slot.height);
    expect(decoded, 'a QR code in the first pass').to.not.equal(null);
    const payload = decoded!.data;

    // A scanner verifies it offline with the public keys served for scanners.
    const keys = await request(t.app).get('/api/v1/keys');
    expect(keys.status).to.equal(200);
    expect(keys.headers['cache-control']).to.contain('max-age');
    const keyring = createKeyring(
      (keys.body.keys as VoucherPublicJwk[]).map((jwk) => ({ kid: jwk.kid, publicKey: jwk })),
    );
    const verified = verifyVoucherPayload(payload, keyring);
    expect(verified).to.deep.include({ ok: true, kid: t.config.secrets.voucherSigningKid });
    if (!verified.ok) return;
    // It is the code of serial 1 of this batch, as stored (by its keyed hash).
    const stored = await t.db
      .knex('vouchers.vouchers')
      .where({ lookup_hash: voucherLookupHash(verified.code, t.config.secrets.voucherHashKey) })
      .first('batch_id', 'serial');
    expect(stored).to.deep.equal({ batch_id: batch.id, serial: 1 });

    // The printer CSV carries the same payload for serial 1.
    const csv = await kit.get('funder_manager', `/batches/${batch.id}/printer.csv`);
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.match(/^text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).to.equal('numero_serie;carnet;code;contenu_qr');
    expect(lines).to.have.length(21);
    const [serial, booklet, code, csvPayload] = lines[1]!.split(';');
    expect(serial).to.equal(`${String(batch.number).padStart(6, '0')}-0000001`);
    expect(booklet).to.equal('1');
    expect(code!.replace(/-/g, '')).to.equal(verified.code);
    expect(csvPayload).to.equal(payload);
    expect(lines[20]!.split(';')[1]).to.equal('2');
    expect(
      await t.db
        .knex('platform.audit_log')
        .where({ action: 'batch.printer_csv_downloaded', target_id: batch.id }),
    ).to.have.length(1);

    // The public check knows it is genuine, not yet usable until the batch is funded and activated.
    const check = await request(t.app).post('/api/v1/public/pass-check').send({ input: payload });
    expect(check.body).to.deep.include({ genuine: true, source: 'qr' });
    expect(check.body.pass).to.deep.include({
      status: 'not_yet_active',
      value: { amount: '10.00', currency: 'EUR' },
    });
  });

  it('serves every key that can still verify a pass: the current one and retired ones', async () => {
    const keys = await request(t.app).get('/api/v1/keys');
    expect(keys.body.keys.map((key: { kid: string }) => key.kid)).to.deep.equal([
      t.config.secrets.voucherSigningKid,
    ]);
    expect(keys.body.keys[0]).to.deep.include({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
  });

  it('keeps the proof and the printer files to the funder side', async () => {
    const id = t.demo.ids.batchId!;
    expect((await kit.get('distributor_agent', `/batches/${id}/proof.pdf`)).status).to.equal(403);
    expect((await kit.get('operator_finance', `/batches/${id}/printer.csv`)).status).to.equal(403);
    expect((await request(t.app).get(`/api/v1/batches/${id}/booklets.pdf`)).status).to.equal(401);
  });
});
