import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, insertUser, type TestApp } from '../../../../test/support/app';
import { outstandingInvariant } from '../issuance-module';
import { accounts, balance } from '@pass/ledger';
import { IssuanceKit } from '../testing/issuance-e2e-kit';

describe('issuance: orders, funding and activation (e2e)', function () {
  this.timeout(60_000);
  let t: TestApp;
  let kit: IssuanceKit;
  let funderId: string;
  before(async () => {
    t = await createTestApp();
    kit = new IssuanceKit(t);
    funderId = t.demo.ids.funderId!;
  });
  after(async () => {
    await t?.close();
  });

  async function counts() {
    const [batches] = await t.db.knex('vouchers.batches').count<{ count: string }[]>('* as count');
    const [orders] = await t.db.knex('issuance.orders').count<{ count: string }[]>('* as count');
    return { batches: Number(batches!.count), orders: Number(orders!.count) };
  }

  describe('bad input: a clear problem+json and nothing half-created', () => {
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['zero passes', { bookletCount: 0 }, 422, 'voucher_count_out_of_range'],
      [
        'more than 2,000,000 passes',
        { bookletSize: 10, bookletCount: 200_001 },
        422,
        'voucher_count_out_of_range',
      ],
      [
        'a validity ending before it starts',
        { validFrom: '2031-06-01', validUntil: '2031-05-31' },
        422,
        'invalid_validity_period',
      ],
      [
        'a validity already over',
        { validFrom: '2020-01-01', validUntil: '2020-12-31' },
        422,
        'validity_already_over',
      ],
      [
        'unknown territory codes',
        { territory: { departements: ['07', '99'], communes: ['00000'] } },
        422,
        'unknown_territory_codes',
      ],
      ['unknown service categories', { serviceCategories: ['poterie'] }, 422, 'unknown_service_categories'],
      ['a booklet size other than 5 or 10', { bookletSize: 7 }, 400, 'validation_failed'],
      ['a face value of zero', { faceValue: { amount: '0.00', currency: 'EUR' } }, 422, 'invalid_face_value'],
    ];
    for (const [name, overrides, status, code] of cases) {
      it(`refuses ${name} with ${status} ${code}`, async () => {
        const before = await counts();
        const res = await kit.post('funder_manager', '/batches', kit.batchBody(overrides));
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(res.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(res.body.code).to.equal(code);
        expect(await counts()).to.deep.equal(before);
      });
    }

    it('lists the unknown territory codes in the problem', async () => {
      const res = await kit.post(
        'funder_manager',
        '/batches',
        kit.batchBody({ territory: { departements: ['99'], communes: ['07186', '00000'] } }),
      );
      expect(res.body).to.deep.include({ departements: ['99'], communes: ['00000'] });
    });

    it('lets nobody order for another funder, and makes operators name the funder', async () => {
      const other = await kit.post(
        'funder_manager',
        '/batches',
        kit.batchBody({ funderId: t.demo.ids.distributorId }),
      );
      expect(other.status).to.equal(404);
      const unnamed = await kit.post('operator_admin', '/batches', kit.batchBody());
      expect(unnamed.status).to.equal(400);
      const named = await kit.post('operator_admin', '/batches', kit.batchBody({ funderId }));
      expect(named.status).to.equal(201);
      expect(named.body.funder.id).to.equal(funderId);
    });
  });

  it('quotes face value, the funder’s 4 % fee and 20 % VAT on the fee, without creating anything', async () => {
    const before = await counts();
    const res = await kit.post('funder_manager', '/batches/quote', kit.batchBody({ bookletCount: 100 }));
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({
      voucherCount: 1000,
      faceTotal: { amount: '10000.00', currency: 'EUR' },
      upstreamFee: { amount: '400.00', currency: 'EUR' },
      vat: { amount: '80.00', currency: 'EUR' },
      total: { amount: '10480.00', currency: 'EUR' },
      upstreamFeeRate: '0.04',
    });
    expect(await counts()).to.deep.equal(before);
  });

  it('goes draft → awaiting funding → active, with the ledger entries of funding and activation', async () => {
    const created = await kit.post('funder_manager', '/batches', kit.batchBody({ bookletCount: 5 }));
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({
      status: 'draft',
      voucherCount: 50,
      generation: null,
      funding: null,
    });
    expect(created.body.reference).to.match(/^LOT-\d{6}$/);
    const id = created.body.id as string;
    // Nothing can be funded before submission.
    const early = await kit.post(
      'operator_finance',
      `/batches/${id}/funding`,
      {
        amount: created.body.quote.total,
        method: 'mandate',
        reference: 'M-1',
        receivedOn: created.body.validFrom,
      },
      'early-funding-1',
    );
    expect(early.body.code).to.equal('batch_not_awaiting_funding');

    const batch = await kit.generatedBatch({ bookletCount: 5 });
    expect(batch.generation).to.deep.include({
      state: 'completed',
      generated: 50,
      total: 50,
      percent: 100,
      etaSeconds: 0,
    });
    const [stored] = await t.db
      .knex('vouchers.vouchers')
      .where({ batch_id: batch.id })
      .count<{ count: string }[]>('* as count');
    expect(Number(stored!.count)).to.equal(50);

    // Activation without funding.
    const notFunded = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/activate`,
      undefined,
      `act-early-${batch.id}`,
    );
    expect(notFunded.status).to.equal(409);
    expect(notFunded.body.code).to.equal('batch_not_funded');

    const bankBefore = await balance(t.db.knex, accounts.operatorBank());
    const funding = (amount: string) => ({
      amount: { amount, currency: 'EUR' },
      method: 'mandate',
      reference: 'MANDAT-2026-118',
      receivedOn: batch.validFrom,
    });
    // Money-moving: no Idempotency-Key, no funding.
    const noKey = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/funding`,
      funding(batch.quote.total.amount),
    );
    expect(noKey.status).to.equal(400);
    expect(noKey.body.code).to.equal('idempotency_key_missing');
    // Funding that does not match the quote: refused with the expected amount, nothing recorded.
    const mismatch = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/funding`,
      funding('500.00'),
      `fund-bad-${batch.id}`,
    );
    expect(mismatch.status).to.equal(422);
    expect(mismatch.body).to.deep.include({
      code: 'funding_amount_mismatch',
      expected: { amount: '524.00', currency: 'EUR' },
    });
    expect(await balance(t.db.knex, accounts.operatorBank())).to.equal(bankBefore);
    expect((await kit.get('operator_finance', `/batches/${batch.id}`)).body.funding).to.equal(null);
    // Money cannot have arrived tomorrow.
    const future = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/funding`,
      { ...funding('524.00'), receivedOn: '2999-01-01' },
      `fund-future-${batch.id}`,
    );
    expect(future.status).to.equal(422);
    expect(future.body.code).to.equal('received_in_future');
    // Funders cannot record their own funding.
    expect(
      (
        await kit.post(
          'funder_manager',
          `/batches/${batch.id}/funding`,
          funding('524.00'),
          `fund-self-${batch.id}`,
        )
      ).status,
    ).to.equal(403);

    const funded = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/funding`,
      funding('524.00'),
      `fund-ok-${batch.id}`,
    );
    expect(funded.status, JSON.stringify(funded.body)).to.equal(201);
    expect(funded.body.funding).to.deep.include({
      amount: { amount: '524.00', currency: 'EUR' },
      method: 'mandate',
      reference: 'MANDAT-2026-118',
    });
    // Same key, same body: the first answer again; same key, other body: 422; another key: already funded.
    const replay = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/funding`,
      funding('524.00'),
      `fund-ok-${batch.id}`,
    );
    expect(replay.status).to.equal(201);
    expect(replay.headers['idempotent-replayed']).to.equal('true');
    expect(replay.body).to.deep.equal(funded.body);
    const reused = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/funding`,
      funding('524.01'),
      `fund-ok-${batch.id}`,
    );
    expect(reused.status).to.equal(422);
    expect(reused.body.code).to.equal('idempotency_key_reused');
    const twice = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/funding`,
      funding('524.00'),
      `fund-again-${batch.id}`,
    );
    expect(twice.status).to.equal(409);
    expect(twice.body.code).to.equal('batch_already_funded');

    expect(await balance(t.db.knex, accounts.operatorBank())).to.equal(bankBefore + 52_400n);
    expect((await balance(t.db.knex, accounts.funderPrepaid(funderId))) >= 50_000n).to.equal(true);
    const prepaidBefore = await balance(t.db.knex, accounts.funderPrepaid(funderId));
    const outstandingBefore = await balance(t.db.knex, accounts.funderVouchersOutstanding(funderId));

    const active = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/activate`,
      undefined,
      `act-${batch.id}`,
    );
    expect(active.status, JSON.stringify(active.body)).to.equal(200);
    expect(active.body).to.deep.include({ status: 'active' });
    expect(active.body.activatedAt).to.be.a('string');
    expect(await balance(t.db.knex, accounts.funderPrepaid(funderId))).to.equal(prepaidBefore - 50_000n);
    expect(await balance(t.db.knex, accounts.funderVouchersOutstanding(funderId))).to.equal(
      outstandingBefore + 50_000n,
    );
    const again = await kit.post(
      'operator_finance',
      `/batches/${batch.id}/activate`,
      undefined,
      `act-2-${batch.id}`,
    );
    expect(again.body.code).to.equal('batch_not_awaiting_funding');

    const events = await kit.get('funder_manager', `/batches/${batch.id}/events`);
    expect(events.body.items.map((e: { kind: string }) => e.kind)).to.deep.equal([
      'batch.created',
      'batch.awaiting_funding',
      'batch.generated',
      'batch.funded',
      'batch.active',
    ]);
    const check = await outstandingInvariant.run(t.db.knex);
    expect(check, JSON.stringify(check.problems)).to.deep.include({ ok: true });
  });

  it('refuses to activate while passes are still being generated', async () => {
    const created = await kit.post('funder_manager', '/batches', kit.batchBody({ bookletCount: 1 }));
    const id = created.body.id as string;
    // Submitted, but its generation has not run yet (the job is only relayed by the outbox).
    await t.db.knex.transaction(async (trx) => {
      await trx('vouchers.batches')
        .where({ id })
        .update({ status: 'awaiting_funding', submitted_at: new Date() });
      await trx('issuance.generations').insert({
        batch_id: id,
        state: 'pending',
        total: 10,
        updated_at: new Date(),
      });
    });
    await kit.post(
      'operator_finance',
      `/batches/${id}/funding`,
      {
        amount: created.body.quote.total,
        method: 'bank_transfer',
        reference: 'VIR-1',
        receivedOn: created.body.validFrom,
      },
      `fund-${id}`,
    );
    const res = await kit.post('operator_finance', `/batches/${id}/activate`, undefined, `act-${id}`);
    expect(res.status).to.equal(409);
    expect(res.body).to.deep.include({ code: 'generation_incomplete', generated: 0, total: 10 });
  });

  it('closes a draft, refuses to close an active batch with usable passes', async () => {
    const draft = await kit.post('funder_manager', '/batches', kit.batchBody({ bookletCount: 1 }));
    const closed = await kit.post('funder_manager', `/batches/${draft.body.id}/close`, {
      reason: 'Commande saisie deux fois',
    });
    expect(closed.status).to.equal(200);
    expect(closed.body.status).to.equal('closed');
    const active = await kit.post('funder_manager', `/batches/${t.demo.ids.batchId}/close`, {});
    expect(active.status).to.equal(409);
    expect(active.body).to.deep.include({ code: 'batch_has_usable_vouchers' });
  });

  it('shows a funder only its own batches, and 404 for another funder’s', async () => {
    const [org] = await t.db
      .knex('registry.organisations')
      .insert({ kind: 'funder', name: 'CCAS de Lyon' })
      .returning<{ id: string }[]>('id');
    await t.db.knex('registry.funders').insert({ organisation_id: org!.id, funder_kind: 'ccas' });
    await insertUser(t, { organisationId: org!.id, role: 'funder_manager', email: 'ccas@lyon.example' });
    const token = await t.login('ccas@lyon.example');
    const mine = await request(t.app)
      .get(`/api/v1/batches/${t.demo.ids.batchId}`)
      .set('Authorization', `Bearer ${token}`);
    expect(mine.status).to.equal(404);
    const list = await request(t.app).get('/api/v1/batches').set('Authorization', `Bearer ${token}`);
    expect(list.body.items).to.deep.equal([]);
    const demo = await kit.get('funder_manager', '/batches?limit=2');
    expect(demo.body.items.length).to.equal(2);
    expect(demo.body.nextCursor).to.be.a('string');
    const next = await kit.get('funder_manager', `/batches?limit=2&cursor=${demo.body.nextCursor}`);
    expect(next.body.items[0].id).to.not.equal(demo.body.items[1].id);
    expect((await kit.get('distributor_agent', `/batches/${t.demo.ids.batchId}`)).status).to.equal(403);
  });

  it('documents its routes in the OpenAPI document, with the Idempotency-Key of money-moving ones', async () => {
    const doc = await request(t.app).get('/api/openapi.json');
    expect(doc.status).to.equal(200);
    for (const route of [
      '/api/v1/batches',
      '/api/v1/batches/{id}/generation',
      '/api/v1/public/pass-check',
      '/api/v1/keys',
    ]) {
      expect(doc.body.paths).to.have.property(route);
    }
    const funding = doc.body.paths['/api/v1/batches/{id}/funding'].post;
    expect(funding.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).to.include(
      'header:idempotency-key',
    );
    expect(funding.security).to.not.deep.equal([]);
    expect(doc.body.paths['/api/v1/public/pass-check'].post.security).to.deep.equal([]);
  });

  it('reports generation progress with a rate and an ETA while it runs', async () => {
    const created = await kit.post('funder_manager', '/batches', kit.batchBody({ bookletCount: 100 }));
    const id = created.body.id as string;
    const now = t.clock.now();
    await t.db.knex.transaction(async (trx) => {
      await trx('vouchers.batches').where({ id }).update({ status: 'awaiting_funding' });
      await trx('issuance.generations').insert({
        batch_id: id,
        state: 'running',
        total: 1000,
        generated: 250,
        attempts: 1,
        run_started_at: new Date(now.getTime() - 5000),
        run_start_count: 0,
        started_at: new Date(now.getTime() - 5000),
        updated_at: now,
      });
    });
    const res = await kit.get('funder_manager', `/batches/${id}/generation`);
    expect(res.body).to.deep.include({
      state: 'running',
      generated: 250,
      total: 1000,
      percent: 25,
      ratePerSecond: 50,
      etaSeconds: 15,
    });
  });
});
