import type { Principal, Role } from '@pass/auth';
import type { AppContext, DemoBag } from '@pass/http';
import { formatVoucherCode } from '@pass/voucher-code';
import { addDays, batchReference, businessDate, getBatch } from '@pass/vouchers';
import { BatchService } from '../batches/batch-service';
import { getOrder } from '../batches/order-store';
import { DistributionService } from '../distribution/distribution-service';
import { FundingService } from '../funding/funding-service';
import { decryptBatchSeed } from '../generation/batch-code-seed';
import { runGeneration } from '../generation/generation-jobs';
import { deriveVoucherCodes } from '../generation/voucher-code-derivation';

function demoPrincipal(
  demo: DemoBag,
  role: Role,
  organisationKey: string,
  kind: Principal['organisationKind'],
): Principal {
  const userId = demo.ids[`user_${role}`];
  const organisationId = demo.ids[organisationKey];
  if (!userId || !organisationId)
    throw new Error(`issuance demo needs the registry demo (${role}, ${organisationKey})`);
  return {
    kind: 'user',
    subjectId: userId,
    userId,
    deviceId: undefined,
    role,
    organisationId,
    organisationKind: kind,
    venueId: undefined,
    orgAdmin: false,
  };
}

/**
 * A small live batch for the demo: 2 booklets of 10 passes for the Ardèche, funded and active, both booklets
 * assigned to the demo distributor, then booklet 1 handed out whole (it leaves the stock; booklet 2 stays). A few codes are printed at start-up so a
 * person can redeem them at once. Goes through the real services (same ledger entries and events).
 */
export async function seedIssuanceDemo(ctx: AppContext, demo: DemoBag): Promise<void> {
  const funder = demoPrincipal(demo, 'funder_manager', 'funderId', 'funder');
  const finance = demoPrincipal(demo, 'operator_finance', 'operatorId', 'operator');
  const agent = demoPrincipal(demo, 'distributor_agent', 'distributorId', 'distributor');
  const today = businessDate(ctx.clock(), ctx.config.businessTimezone);
  // Demo seeding runs before job handlers are registered: generation runs here, synchronously, and the
  // queued job (relayed later) finds it done. Kicking the outbox now would only log unknown-job errors.
  const seeding: AppContext = { ...ctx, outbox: { kick: () => {} } as unknown as AppContext['outbox'] };
  const batches = new BatchService(seeding);
  const funding = new FundingService(seeding);
  const distribution = new DistributionService(seeding);

  const created = await batches.create(funder, {
    faceValue: { amount: '10.00', currency: 'EUR' },
    bookletSize: 10,
    bookletCount: 2,
    validFrom: today,
    validUntil: `${Number(today.slice(0, 4)) + 1}-12-31`,
    toleranceDays: 30,
    territory: { departements: ['07'], communes: [] },
    serviceCategories: [],
    wording:
      'Le Département de l’Ardèche vous offre ce carnet de Pass numérique pour apprendre à utiliser un ' +
      'ordinateur, un smartphone et les démarches en ligne avec un médiateur près de chez vous.',
  });
  await batches.submit(funder, created.id);
  await runGeneration(seeding, created.id, { actor: 'system:demo' });
  await funding.recordFunding(
    finance,
    created.id,
    {
      amount: { amount: created.quote.total.amount, currency: 'EUR' },
      method: 'mandate',
      reference: 'MANDAT-DEMO-0001',
      receivedOn: today,
    },
    `demo-funding-${created.id}`,
  );
  await funding.activate(finance, created.id, `demo-activation-${created.id}`);
  await distribution.assign(funder, created.id, {
    distributorId: agent.organisationId,
    fromBooklet: 1,
    toBooklet: 2,
  });
  await distribution.handOut(agent, { batchId: created.id, booklet: 1, beneficiaryRef: 'DEMO-0001' });

  const batch = await getBatch(ctx.knex, created.id);
  const order = batch ? await getOrder(ctx.knex, batch) : undefined;
  if (!batch || !order) return;
  const seed = decryptBatchSeed(order.codeSeed, ctx.config.secrets.voucherEncryptionKey, batch.id);
  const codes = deriveVoucherCodes(seed, 1, 3).map(formatVoucherCode);
  demo.ids.batchId = batch.id;
  demo.lines.push(
    `Demo passes (${batchReference(batch.number)}, 10.00 EUR, valid until ${addDays(batch.validUntil, 0)}): ${codes.join('  ')}`,
  );
}
