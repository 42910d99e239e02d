import type { Role } from '@pass/auth';
import { formatVoucherCode } from '@pass/voucher-code';
import { getBatch } from '@pass/vouchers';
import request from 'supertest';
import { getOrder } from '../../../services/issuance/src/batches/order-store';
import { decryptBatchSeed } from '../../../services/issuance/src/generation/batch-code-seed';
import { deriveVoucherCodes } from '../../../services/issuance/src/generation/voucher-code-derivation';
import { demoEmail, TEST_PASSWORD, type TestApp } from '../../support/app';

// Preconditions the browser tests need but do not test (a second active batch, the codes of given passes,
// a payout's EndToEndId), set up through the HTTP API as each role would, so the browser only drives the
// screens under test.

// Access tokens live 15 minutes of the test clock, which tests move by a day: a token is reused only while
// the clock has not moved (TestApp.login caches forever), so logins stay under the rate limit.
const tokens = new Map<string, { token: string; at: number }>();

async function tokenOf(testApp: TestApp, role: Role): Promise<string> {
  const at = testApp.clock.now().getTime();
  const cached = tokens.get(role);
  if (cached && at - cached.at < 600_000 && at >= cached.at) return cached.token;
  const res = await request(testApp.app)
    .post('/api/v1/auth/login')
    .send({ email: demoEmail(role), password: TEST_PASSWORD });
  if (res.status !== 200) throw new Error(`login ${role}: ${res.status} ${res.text}`);
  tokens.set(role, { token: res.body.accessToken as string, at });
  return res.body.accessToken as string;
}

/** A request to the API as the demo user of a role; throws with the body on an unexpected status. */
export async function apiAs<T = Record<string, unknown>>(
  testApp: TestApp,
  role: Role,
  method: 'get' | 'post',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const token = await tokenOf(testApp, role);
  let req = request(testApp.app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
  for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
  const res = method === 'post' ? await req.send((body ?? {}) as object) : await req;
  if (res.status >= 300) throw new Error(`${method.toUpperCase()} ${path}: ${res.status} ${res.text}`);
  return res.body as T;
}

export interface ActiveBatch {
  id: string;
  reference: string;
}

/**
 * A batch of the demo funder (Ardèche), ordered, generated, funded and activated through the API: the state a
 * batch is in once the order screens (covered by pass-lifecycle.e2e.test.ts) have been used.
 */
export async function createActiveBatch(
  testApp: TestApp,
  options: { bookletSize: 5 | 10; bookletCount: number },
): Promise<ActiveBatch> {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(testApp.clock.now());
  const created = await apiAs<{ id: string; reference: string; quote: { total: { amount: string } } }>(
    testApp,
    'funder_manager',
    'post',
    '/batches',
    {
      faceValue: { amount: '10.00', currency: 'EUR' },
      bookletSize: options.bookletSize,
      bookletCount: options.bookletCount,
      validFrom: today,
      validUntil: `${Number(today.slice(0, 4)) + 1}-12-31`,
      toleranceDays: 30,
      territory: { departements: ['07'], communes: [] },
      serviceCategories: [],
      wording: 'Offert par le Département de l’Ardèche pour apprendre le numérique près de chez vous.',
    },
  );
  await apiAs(testApp, 'funder_manager', 'post', `/batches/${created.id}/submit`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const batch = await apiAs<{ generation: { state: string } | null }>(
      testApp,
      'funder_manager',
      'get',
      `/batches/${created.id}`,
    );
    if (batch.generation?.state === 'completed') break;
    if (Date.now() > deadline) throw new Error(`generation of ${created.reference} did not complete`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await apiAs(
    testApp,
    'operator_finance',
    'post',
    `/batches/${created.id}/funding`,
    {
      amount: { amount: created.quote.total.amount, currency: 'EUR' },
      method: 'bank_transfer',
      reference: `VIR-${created.reference}`,
      receivedOn: today,
    },
    { 'Idempotency-Key': crypto.randomUUID() },
  );
  await apiAs(testApp, 'operator_finance', 'post', `/batches/${created.id}/activate`, undefined, {
    'Idempotency-Key': crypto.randomUUID(),
  });
  return { id: created.id, reference: created.reference };
}

/**
 * The printed codes (XXXX-XXXX-XXXX-XXXX-X) of passes `fromSerial`… of a batch, derived from the batch's
 * encrypted seed exactly as generation and the demo seed do: what a person would read on the paper pass.
 */
export async function passCodes(
  testApp: TestApp,
  batchId: string,
  fromSerial: number,
  count = 1,
): Promise<string[]> {
  const knex = testApp.runtime.ctx.knex;
  const batch = await getBatch(knex, batchId);
  const order = batch ? await getOrder(knex, batch) : undefined;
  if (!batch || !order) throw new Error(`batch ${batchId} not found`);
  const seed = decryptBatchSeed(order.codeSeed, testApp.config.secrets.voucherEncryptionKey, batch.id);
  return deriveVoucherCodes(seed, fromSerial, count).map(formatVoucherCode);
}
