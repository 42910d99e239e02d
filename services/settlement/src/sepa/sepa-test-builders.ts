// Test-data builders with overrides, shared by the SEPA tests. Not exported from the package index.
import type { Camt054EntryInput, Camt054Input } from './build-camt054';
import type { Pain001Input, Pain001Payment, SepaParty, SepaPostalAddress } from './build-pain001';

/** Valid IBANs of SEPA countries (checksums verified with ibantools). */
export const SEPA_IBANS = [
  'FR1420041010050500013M02606',
  'FR7630006000011234567890189',
  'DE89370400440532013000',
  'BE68539007547034',
  'IT60X0542811101000000123456',
  'ES9121000418450200051332',
  'NL91ABNA0417164300',
] as const;

export const OPERATOR_IBAN = 'FR7630006000011234567890189';

/** A structured French address. */
export function buildAddress(overrides: Partial<SepaPostalAddress> = {}): SepaPostalAddress {
  return {
    streetName: 'Rue de la Roquette',
    buildingNumber: '12',
    postCode: '75011',
    townName: 'Paris',
    country: 'FR',
    ...overrides,
  };
}

/** An association account as its bank knows it. */
export function buildCreditor(overrides: Partial<SepaParty> = {}): SepaParty {
  return {
    name: 'Association Numerique Solidaire',
    iban: 'FR1420041010050500013M02606',
    address: buildAddress({
      streetName: 'Avenue Jean Jaures',
      buildingNumber: '3 bis',
      postCode: '69007',
      townName: 'Lyon',
    }),
    ...overrides,
  };
}

/** The operator's own account (debtor). */
export function buildDebtor(overrides: Partial<SepaParty> = {}): SepaParty {
  return {
    name: 'Operateur Pass Numerique',
    iban: OPERATOR_IBAN,
    bic: 'AGRIFRPP',
    address: buildAddress(),
    ...overrides,
  };
}

/** One payout of 10.00 EUR. */
export function buildPayment(overrides: Partial<Pain001Payment> = {}): Pain001Payment {
  return {
    endToEndId: '3f2b8c1e9a7d4e5f8a6b2c1d0e9f8a7b',
    amountCents: 1000n,
    requestedExecutionDate: '2026-12-01',
    creditor: buildCreditor(),
    remittanceInformation: 'RELEVE PN-2026-000123 PASS NUMERIQUE',
    ...overrides,
  };
}

/** A one-payment credit-transfer file. */
export function buildPain001Input(overrides: Partial<Pain001Input> = {}): Pain001Input {
  return {
    messageId: 'PN-20261130-0001',
    createdAt: new Date('2026-11-30T09:15:00.000Z'),
    debtor: buildDebtor(),
    payments: [buildPayment()],
    ...overrides,
  };
}

/** A booked debit for a paid payout. */
export function buildCamtEntry(overrides: Partial<Camt054EntryInput> = {}): Camt054EntryInput {
  return {
    kind: 'paid',
    endToEndId: '3f2b8c1e9a7d4e5f8a6b2c1d0e9f8a7b',
    amountCents: 1000n,
    bookingDate: '2026-12-01',
    creditor: { name: 'Association Numerique Solidaire', iban: 'FR1420041010050500013M02606' },
    remittanceInformation: 'RELEVE PN-2026-000123 PASS NUMERIQUE',
    ...overrides,
  };
}

/** A notification about the operator's account with one paid line. */
export function buildCamt054Input(overrides: Partial<Camt054Input> = {}): Camt054Input {
  return {
    messageId: 'BANK-20261202-0001',
    createdAt: new Date('2026-12-02T06:00:00.000Z'),
    account: { iban: OPERATOR_IBAN, ownerName: 'Operateur Pass Numerique', bic: 'AGRIFRPP' },
    entries: [buildCamtEntry()],
    ...overrides,
  };
}
