import { sealPending } from '@pass/ledger';
import { serviceModules } from '@pass/gateway';
import { expect } from 'chai';
import iconv from 'iconv-lite';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../support/app';

describe('ledger exposed by the gateway (check, verify, FEC, CLI commands)', function () {
  this.timeout(120_000);
  let t: TestApp;
  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('passes every invariant on the seeded demo, including the services registered checks', async () => {
    const token = await t.login(demoEmail('operator_finance'));
    const res = await request(t.app).get('/api/v1/ledger/check').set('Authorization', `Bearer ${token}`);
    expect(res.status).to.equal(200);
    expect(res.body.ok, JSON.stringify(res.body)).to.equal(true);
    const names = (res.body.outcomes ?? res.body.checks ?? []).map((c: { name: string }) => c.name);
    expect(names.length).to.be.greaterThan(3);
    const command = serviceModules.flatMap((m) => m.commands ?? []).find((c) => c.name === 'ledger:check')!;
    const result = await command.run(t.runtime.ctx, []);
    expect(result.exitCode).to.equal(0);
  });

  it('refuses the ledger routes to people outside the operator', async () => {
    const token = await t.login(demoEmail('funder_manager'));
    const res = await request(t.app).get('/api/v1/ledger/check').set('Authorization', `Bearer ${token}`);
    expect(res.status).to.equal(403);
  });

  it('serves a FEC file in ISO-8859-15 with the 18 columns', async () => {
    const token = await t.login(demoEmail('operator_finance'));
    const today = new Date().toISOString().slice(0, 10);
    const res = await request(t.app)
      .get(`/api/v1/ledger/fec?from=2026-01-01&to=${today.slice(0, 4)}-12-31`)
      .set('Authorization', `Bearer ${token}`)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      });
    expect(res.status).to.equal(200);
    expect(res.headers['content-disposition']).to.match(/FEC\d{8}/);
    const text = iconv.decode(res.body as Buffer, 'iso-8859-15');
    const [header, ...lines] = text.trim().split(/\r?\n/);
    expect(header!.split('|')).to.have.length(18);
    expect(header!.startsWith('JournalCode|JournalLib|EcritureNum')).to.equal(true);
    expect(lines.length).to.be.greaterThan(0);
  });

  it('detects a line changed behind the triggers back (as a superuser could)', async () => {
    const sealed = await sealPending(t.db.knex, { waitMs: 0 });
    expect(sealed.sealedEntries).to.be.greaterThan(0);
    const token = await t.login(demoEmail('operator_admin'));
    const intact = await request(t.app).post('/api/v1/ledger/verify').set('Authorization', `Bearer ${token}`);
    expect(intact.status).to.equal(200);
    expect(intact.body.ok).to.equal(true);
    await t.db.knex.transaction(async (trx) => {
      await trx.raw('set local session_replication_role = replica');
      await trx.raw(
        'update ledger.lines set amount_cents = amount_cents + 100 where ctid = (select ctid from ledger.lines order by entry_id limit 1)',
      );
    });
    const broken = await request(t.app).post('/api/v1/ledger/verify').set('Authorization', `Bearer ${token}`);
    expect(broken.body.ok).to.equal(false);
    expect(broken.body.firstBrokenLink).to.be.an('object');
    const command = serviceModules.flatMap((m) => m.commands ?? []).find((c) => c.name === 'ledger:verify')!;
    const result = await command.run(t.runtime.ctx, []);
    expect(result.exitCode).to.equal(1);
    expect(result.output).to.match(/HASH CHAIN BROKEN/);
  });
});
