import { expect } from 'chai';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { as } from '../testing/registry-fixtures';

const address = { street: 'Rue Garibaldi', buildingNumber: '12', postcode: '69003', town: 'Lyon' };
// Real examples: the French banking example IBAN (clé RIB valid) and BICs of French banks.
const ACCOUNT = {
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  bic: 'AGRIFRPPXXX',
  accountHolderName: 'Association Lyon Numérique',
};
const OTHER_ACCOUNT = {
  iban: 'FR14 2004 1010 0505 0001 3M02 606',
  bic: 'PSSTFRPPLYO',
  accountHolderName: 'ASSOCIATION LYON NUMERIQUE',
};

describe('associations and four-eyes bank details (e2e)', () => {
  let t: TestApp;
  const payout = async (associationId: string) =>
    t.db.knex('registry.association_payout_accounts').where({ association_id: associationId }).first();

  before(async () => {
    t = await createTestApp();
  });
  after(async () => {
    await t.close();
  });

  describe('identifiers', () => {
    it('accepts an association with only an RNA number, normalised', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const res = await admin
        .post('/api/v1/associations')
        .send({ legalName: 'Lyon Numérique', rna: 'w751 515 517', address });
      expect(res.status).to.equal(201);
      expect(res.body).to.deep.include({
        rna: 'W751515517',
        siret: null,
        settlementCadence: 'monthly',
        downstreamFeeRate: '0',
      });
      expect(res.body.address).to.deep.equal({ ...address, country: 'FR' });
    });

    it('refuses an association with neither SIRET nor RNA, or with malformed ones', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const none = await admin.post('/api/v1/associations').send({ legalName: 'Sans numéro', address });
      expect(none.status).to.equal(400);
      expect(none.body.errors.map((e: { code: string }) => e.code)).to.deep.equal(['siret_or_rna_required']);
      const bad = await admin
        .post('/api/v1/associations')
        .send({ legalName: 'Mal numérotée', rna: '120027016', siret: '12002701600564', address });
      expect(bad.body.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).to.deep.equal(
        ['body.siret:siret_bad_checksum', 'body.rna:rna_looks_like_siren'],
      );
    });

    it('refuses a structured address SEPA cannot carry', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const res = await admin
        .post('/api/v1/associations')
        .send({ legalName: 'X', rna: 'W751515517', address: { ...address, postcode: '6900' } });
      expect(res.status).to.equal(400);
      expect(res.body.errors[0].path).to.equal('body.address.postcode');
    });

    it('refuses invalid IBAN and BIC with a reason per field', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const res = await admin.post('/api/v1/associations').send({
        legalName: 'X',
        rna: 'W751515517',
        address,
        bankAccount: { iban: 'FR76 3000 6000 0112 3456 7890 188', bic: 'BNPAXXPP', accountHolderName: 'X' },
      });
      expect(res.status).to.equal(400);
      expect(res.body.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`)).to.deep.equal(
        ['body.bankAccount.iban:iban_bad_checksum', 'body.bankAccount.bic:bic_unknown_country'],
      );
    });
  });

  describe('four eyes', () => {
    let associationId: string;

    it('holds payouts while the first bank details wait for a second operator', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const res = await admin
        .post('/api/v1/associations')
        .send({ legalName: 'Lyon Numérique 2', rna: 'W691234567', address, bankAccount: ACCOUNT });
      expect(res.status).to.equal(201);
      associationId = res.body.id;
      expect(res.body).to.deep.include({
        bankAccount: null,
        bankDetailsStatus: 'pending_change',
        payoutsHeld: true,
        payoutHoldReason: 'bank_change_pending',
      });
      expect(await payout(associationId)).to.include({
        payouts_held: true,
        hold_reason: 'bank_change_pending',
        iban: null,
      });
    });

    it('refuses approval by the operator who entered the change', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const pending = await admin.get(
        `/api/v1/bank-change-requests?status=pending&associationId=${associationId}`,
      );
      expect(pending.body.items).to.have.length(1);
      const res = await admin
        .post(`/api/v1/bank-change-requests/${pending.body.items[0].id}/approve`)
        .send({});
      expect(res.status).to.equal(403);
      expect(res.body.code).to.equal('four_eyes_required');
      expect(await payout(associationId)).to.include({ payouts_held: true });
    });

    it('applies the details when a second operator approves, and releases payouts', async () => {
      const finance = await as(t, demoEmail('operator_finance'));
      const pending = await finance.get(
        `/api/v1/associations/${associationId}/bank-change-requests?status=pending`,
      );
      const res = await finance
        .post(`/api/v1/bank-change-requests/${pending.body.items[0].id}/approve`)
        .send({});
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ status: 'approved', decidedBy: t.demo.ids.user_operator_finance });
      expect(await payout(associationId)).to.include({
        payouts_held: false,
        hold_reason: null,
        iban: 'FR7630006000011234567890189',
        bic: 'AGRIFRPPXXX',
        account_holder_name: 'Association Lyon Numérique',
      });
      const twice = await finance
        .post(`/api/v1/bank-change-requests/${pending.body.items[0].id}/approve`)
        .send({});
      expect(twice.status).to.equal(409);
      expect(twice.body.code).to.equal('bank_change_not_pending');
    });

    it("keeps paying the approved account while the treasurer's change waits, then holds payouts", async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const own = t.demo.ids.associationId!;
      const res = await treasurer
        .post(`/api/v1/associations/${own}/bank-change-requests`)
        .send(OTHER_ACCOUNT);
      expect(res.status).to.equal(201);
      const view = await payout(own);
      // The old account stays the one on file, but nothing is paid until the change is decided.
      expect(view).to.include({
        iban: 'FR7630001007941234567890185',
        payouts_held: true,
        hold_reason: 'bank_change_pending',
      });
      const again = await treasurer.post(`/api/v1/associations/${own}/bank-change-requests`).send(ACCOUNT);
      expect(again.status).to.equal(409);
      expect(again.body.code).to.equal('bank_change_pending');
      // The treasurer cannot approve their own change (not an operator).
      const approve = await treasurer.post(`/api/v1/bank-change-requests/${res.body.id}/approve`).send({});
      expect(approve.status).to.equal(403);
      const admin = await as(t, demoEmail('operator_admin'));
      const approved = await admin.post(`/api/v1/bank-change-requests/${res.body.id}/approve`).send({});
      expect(approved.status).to.equal(200);
      expect(await payout(own)).to.include({ iban: 'FR1420041010050500013M02606', payouts_held: false });
    });

    it('restores the approved account when a change is rejected (with a reason) or withdrawn', async () => {
      const finance = await as(t, demoEmail('operator_finance'));
      const admin = await as(t, demoEmail('operator_admin'));
      const first = await finance
        .post(`/api/v1/associations/${associationId}/bank-change-requests`)
        .send(OTHER_ACCOUNT);
      const noReason = await admin.post(`/api/v1/bank-change-requests/${first.body.id}/reject`).send({});
      expect(noReason.status).to.equal(400);
      expect(noReason.body.errors[0].code).to.equal('reason_required');
      const rejected = await admin
        .post(`/api/v1/bank-change-requests/${first.body.id}/reject`)
        .send({ reason: 'RIB non signé' });
      expect(rejected.body).to.include({ status: 'rejected', decisionReason: 'RIB non signé' });
      expect(await payout(associationId)).to.include({
        iban: 'FR7630006000011234567890189',
        payouts_held: false,
      });
      const second = await finance
        .post(`/api/v1/associations/${associationId}/bank-change-requests`)
        .send(OTHER_ACCOUNT);
      const cancelled = await finance.post(`/api/v1/bank-change-requests/${second.body.id}/cancel`).send({});
      expect(cancelled.body.status).to.equal('cancelled');
      expect(await payout(associationId)).to.include({ payouts_held: false });
    });

    it('refuses a change to the details already approved', async () => {
      const finance = await as(t, demoEmail('operator_finance'));
      const res = await finance
        .post(`/api/v1/associations/${associationId}/bank-change-requests`)
        .send(ACCOUNT);
      expect(res.status).to.equal(422);
      expect(res.body.code).to.equal('bank_account_unchanged');
    });

    it('enforces four eyes in the database too', async () => {
      const request = await t.db.knex('registry.bank_change_requests').where({ status: 'pending' }).first();
      const anyRequest = request ?? (await t.db.knex('registry.bank_change_requests').first());
      let caught: { code?: string } | undefined;
      try {
        await t.db.knex('registry.bank_change_requests').insert({
          association_id: anyRequest.association_id,
          iban: 'FR7630006000011234567890189',
          bic: 'AGRIFRPPXXX',
          account_holder_name: 'X',
          status: 'approved',
          requested_by: t.demo.ids.user_operator_admin,
          decided_by: t.demo.ids.user_operator_admin,
          decided_at: new Date(),
        });
      } catch (err) {
        caught = err as { code?: string };
      }
      expect(caught?.code).to.equal('23514');
    });

    it('audits every request and decision without full IBANs', async () => {
      const rows = await t.db
        .knex('platform.audit_log')
        .where('action', 'like', 'bank_change.%')
        .orderBy('id');
      expect(rows.map((r) => r.action)).to.include.members([
        'bank_change.requested',
        'bank_change.approved',
        'bank_change.rejected',
        'bank_change.cancelled',
      ]);
      expect(JSON.stringify(rows.map((r) => r.summary))).to.not.include('30006000011234567890189');
      const approved = rows.find((r) => r.action === 'bank_change.approved')!;
      expect(approved.summary.iban).to.equal('FR76*******************0189');
    });
  });

  describe('association details', () => {
    it('lets the treasurer change the address but not the fee or cadence, and hides other associations', async () => {
      const treasurer = await as(t, demoEmail('association_treasurer'));
      const own = `/api/v1/associations/${t.demo.ids.associationId}`;
      const moved = await treasurer
        .patch(own)
        .send({ address: { street: 'Place de la Mairie', postcode: '07440', town: 'Alboussière' } });
      expect(moved.status).to.equal(200);
      expect(moved.body.address).to.deep.include({ street: 'Place de la Mairie', buildingNumber: null });
      const fee = await treasurer.patch(own).send({ downstreamFeeRate: '0' });
      expect(fee.status).to.equal(403);
      expect(fee.body.code).to.equal('operator_only_field');
      const list = await treasurer.get('/api/v1/associations');
      expect(list.body.items.map((a: { id: string }) => a.id)).to.deep.equal([t.demo.ids.associationId]);
      const others = await t.db
        .knex('registry.associations')
        .whereNot({ organisation_id: t.demo.ids.associationId })
        .first();
      expect((await treasurer.get(`/api/v1/associations/${others.organisation_id}`)).status).to.equal(404);
      expect(
        (
          await treasurer
            .post(`/api/v1/associations/${others.organisation_id}/bank-change-requests`)
            .send(ACCOUNT)
        ).status,
      ).to.equal(404);
    });

    it('lets operators change cadence and fee, flags and clears a flag', async () => {
      const admin = await as(t, demoEmail('operator_admin'));
      const id = t.demo.ids.associationId!;
      const res = await admin
        .patch(`/api/v1/associations/${id}`)
        .send({ settlementCadence: 'weekly', downstreamFeeRate: '0.015' });
      expect(res.body).to.include({ settlementCadence: 'weekly', downstreamFeeRate: '0.015' });
      // Settlement flags an association through the registry's SQL contract when a transfer comes back rejected.
      await t.db.knex.raw('select registry.flag_association(?, ?)', [id, 'AC04 compte clos']);
      expect((await admin.get(`/api/v1/associations/${id}`)).body).to.include({
        flagReason: 'AC04 compte clos',
        payoutsHeld: true,
      });
      expect(await payout(id)).to.include({ payouts_held: true, hold_reason: 'flagged' });
      const cleared = await admin
        .post(`/api/v1/associations/${id}/clear-flag`)
        .send({ note: 'Nouveau RIB vérifié par téléphone' });
      expect(cleared.body).to.include({ flaggedAt: null, payoutsHeld: false });
    });

    it('lists the approval queue and exports it as CSV with masked IBANs', async () => {
      const finance = await as(t, demoEmail('operator_finance'));
      const csv = await finance.get('/api/v1/bank-change-requests?format=csv');
      expect(csv.status).to.equal(200);
      expect(csv.text).to.include('FR76*******************0189');
      expect(csv.text).to.not.include('FR7630006000011234567890189');
    });
  });
});
