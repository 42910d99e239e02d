import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { normaliseBic, normaliseSepaIban } from './bank-account';
import { type Cents, formatCents, MAX_SEPA_AMOUNT_CENTS, parseCents } from './cents';
import { checkIsoDate, isoDateTime } from './iso-date';
import { SepaError } from './sepa-error';
import { isSepaIdentifier, sepaTextField } from './sepa-text';

export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/**
 * A structured postal address (EPC rule in force since November 2026: no more free-text-only addresses).
 * Text is transliterated to the SEPA character set; lengths are checked after transliteration.
 */
export interface SepaPostalAddress {
  /** StrtNm, max 70. Required here: every French association address has one. */
  streetName: string;
  /** BldgNb, max 16 ("12", "12 bis"). Optional: "Place de la Mairie" has none. */
  buildingNumber?: string;
  /** PstCd, max 16. */
  postCode: string;
  /** TwnNm, max 35. */
  townName: string;
  /** Ctry, ISO 3166-1 alpha-2 ("FR"). */
  country: string;
}

/** A party with an account: the operator (debtor) or an association (creditor). */
export interface SepaParty {
  /** Account holder's name exactly as the bank has it (Verification of Payee compares it), max 70. */
  name: string;
  /** IBAN, spaces allowed; must be valid and in a SEPA country. */
  iban: string;
  /** BIC of the account's bank, optional within SEPA (the IBAN is enough). */
  bic?: string;
  address: SepaPostalAddress;
}

/** One payout to an association. */
export interface Pain001Payment {
  /** EndToEndId: the payout id (see `endToEndIdFromPayoutId`), returned untouched in camt.054. */
  endToEndId: string;
  /** Integer cents (bigint or digit string), > 0 and <= 999,999,999.99 EUR. */
  amountCents: Cents;
  /** ReqdExctnDt as YYYY-MM-DD; payments are grouped into one PmtInf per date. */
  requestedExecutionDate: string;
  creditor: SepaParty;
  /**
   * RmtInf/Ustrd, max 140: put the statement number first, bank statements often show only the first
   * 30 to 35 characters of it.
   */
  remittanceInformation: string;
}

/** Everything needed for one pain.001.001.09 credit-transfer file. */
export interface Pain001Input {
  /** GrpHdr/MsgId: unique per file (banks refuse a duplicate), 1-35 identifier characters. */
  messageId: string;
  /** GrpHdr/CreDtTm. */
  createdAt: Date;
  /** GrpHdr/InitgPty/Nm, defaults to the debtor name. */
  initiatingPartyName?: string;
  /** The operator's account, from config. */
  debtor: SepaParty;
  /**
   * PmtInf/BtchBookg. Default false: one debit line per payout on the operator's statement and in camt.054,
   * which is what lets each line be matched to its payout.
   */
  batchBooking?: boolean;
  payments: readonly Pain001Payment[];
}

/** Builds a SEPA credit-transfer initiation (pain.001.001.09, SvcLvl SEPA, ChrgBr SLEV) as an XML string. */
export function buildPain001(input: Pain001Input): string {
  if (!isSepaIdentifier(input.messageId)) {
    throw new SepaError('invalid_message_id', 'messageId must be 1-35 SEPA identifier characters', {
      field: 'messageId',
    });
  }
  const createdAt = isoDateTime(input.createdAt, 'createdAt');
  if (input.payments.length === 0) {
    throw new SepaError('no_payments', 'a credit-transfer file needs a payment');
  }

  const debtor = checkParty(input.debtor, 'debtor');
  const initiatingPartyName = sepaTextField(
    input.initiatingPartyName ?? input.debtor.name,
    'initiatingPartyName',
    70,
  );
  const payments = input.payments.map((payment, index) => checkPayment(payment, `payments[${index}]`));
  assertUniqueEndToEndIds(payments);

  const byDate = new Map<string, CheckedPayment[]>();
  for (const payment of payments) {
    const group = byDate.get(payment.requestedExecutionDate) ?? [];
    group.push(payment);
    byDate.set(payment.requestedExecutionDate, group);
  }
  const dates = [...byDate.keys()].sort();

  const document = create({ version: '1.0', encoding: 'UTF-8' }).ele(PAIN001_NAMESPACE, 'Document');
  const initiation = document.ele('CstmrCdtTrfInitn');
  const header = initiation.ele('GrpHdr');
  header.ele('MsgId').txt(input.messageId);
  header.ele('CreDtTm').txt(createdAt);
  header.ele('NbOfTxs').txt(String(payments.length));
  header.ele('CtrlSum').txt(formatCents(sum(payments)));
  header.ele('InitgPty').ele('Nm').txt(initiatingPartyName);

  dates.forEach((date, index) => {
    const group = byDate.get(date) ?? [];
    const info = initiation.ele('PmtInf');
    info.ele('PmtInfId').txt(paymentInformationId(input.messageId, index + 1));
    info.ele('PmtMtd').txt('TRF');
    info.ele('BtchBookg').txt(input.batchBooking ? 'true' : 'false');
    info.ele('NbOfTxs').txt(String(group.length));
    info.ele('CtrlSum').txt(formatCents(sum(group)));
    info.ele('PmtTpInf').ele('SvcLvl').ele('Cd').txt('SEPA');
    info.ele('ReqdExctnDt').ele('Dt').txt(date);
    writeParty(info, 'Dbtr', debtor);
    info.ele('DbtrAcct').ele('Id').ele('IBAN').txt(debtor.iban);
    // EPC: the debtor agent is either a BIC or the literal NOTPROVIDED when the IBAN alone identifies it.
    const debtorAgent = info.ele('DbtrAgt').ele('FinInstnId');
    if (debtor.bic) debtorAgent.ele('BICFI').txt(debtor.bic);
    else debtorAgent.ele('Othr').ele('Id').txt('NOTPROVIDED');
    info.ele('ChrgBr').txt('SLEV');

    for (const payment of group) {
      const transaction = info.ele('CdtTrfTxInf');
      transaction.ele('PmtId').ele('EndToEndId').txt(payment.endToEndId);
      transaction.ele('Amt').ele('InstdAmt', { Ccy: 'EUR' }).txt(formatCents(payment.amountCents));
      if (payment.creditor.bic) {
        transaction.ele('CdtrAgt').ele('FinInstnId').ele('BICFI').txt(payment.creditor.bic);
      }
      writeParty(transaction, 'Cdtr', payment.creditor);
      transaction.ele('CdtrAcct').ele('Id').ele('IBAN').txt(payment.creditor.iban);
      transaction.ele('RmtInf').ele('Ustrd').txt(payment.remittanceInformation);
    }
  });

  return document.end({ prettyPrint: true });
}

interface CheckedParty {
  name: string;
  iban: string;
  bic: string | undefined;
  address: {
    streetName: string;
    buildingNumber: string | undefined;
    postCode: string;
    townName: string;
    country: string;
  };
}

interface CheckedPayment {
  endToEndId: string;
  amountCents: bigint;
  requestedExecutionDate: string;
  creditor: CheckedParty;
  remittanceInformation: string;
}

function checkPayment(payment: Pain001Payment, path: string): CheckedPayment {
  if (!isSepaIdentifier(payment.endToEndId)) {
    throw new SepaError(
      'invalid_end_to_end_id',
      `${path}.endToEndId must be 1-35 SEPA identifier characters (no space, no leading, trailing or double /)`,
      { field: `${path}.endToEndId` },
    );
  }
  const amountCents = parseCents(payment.amountCents, `${path}.amountCents`);
  if (amountCents <= 0n) {
    throw new SepaError('amount_not_positive', `${path}.amountCents must be positive`, {
      field: `${path}.amountCents`,
    });
  }
  if (amountCents > MAX_SEPA_AMOUNT_CENTS) {
    throw new SepaError('amount_too_large', `${path}.amountCents exceeds 999999999.99 EUR`, {
      field: `${path}.amountCents`,
    });
  }
  return {
    endToEndId: payment.endToEndId,
    amountCents,
    requestedExecutionDate: checkIsoDate(payment.requestedExecutionDate, `${path}.requestedExecutionDate`),
    creditor: checkParty(payment.creditor, `${path}.creditor`),
    remittanceInformation: sepaTextField(payment.remittanceInformation, `${path}.remittanceInformation`, 140),
  };
}

function checkParty(party: SepaParty, path: string): CheckedParty {
  if (!party.address) {
    throw new SepaError('missing_field', `${path}.address is missing`, { field: `${path}.address` });
  }
  const address = party.address;
  const country = (address.country ?? '').trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) {
    throw new SepaError('invalid_country', `${path}.address.country must be an ISO 3166 alpha-2 code`, {
      field: `${path}.address.country`,
    });
  }
  const buildingNumber = address.buildingNumber?.trim()
    ? sepaTextField(address.buildingNumber, `${path}.address.buildingNumber`, 16)
    : undefined;
  return {
    name: sepaTextField(party.name, `${path}.name`, 70),
    iban: normaliseSepaIban(party.iban ?? '', `${path}.iban`),
    bic: party.bic?.trim() ? normaliseBic(party.bic, `${path}.bic`) : undefined,
    address: {
      streetName: sepaTextField(address.streetName, `${path}.address.streetName`, 70),
      buildingNumber,
      postCode: sepaTextField(address.postCode, `${path}.address.postCode`, 16),
      townName: sepaTextField(address.townName, `${path}.address.townName`, 35),
      country,
    },
  };
}

function writeParty(parent: XMLBuilder, element: 'Dbtr' | 'Cdtr', party: CheckedParty): void {
  const node = parent.ele(element);
  node.ele('Nm').txt(party.name);
  const address = node.ele('PstlAdr');
  address.ele('StrtNm').txt(party.address.streetName);
  if (party.address.buildingNumber) address.ele('BldgNb').txt(party.address.buildingNumber);
  address.ele('PstCd').txt(party.address.postCode);
  address.ele('TwnNm').txt(party.address.townName);
  address.ele('Ctry').txt(party.address.country);
}

function assertUniqueEndToEndIds(payments: readonly CheckedPayment[]): void {
  const seen = new Set<string>();
  for (const { endToEndId } of payments) {
    if (seen.has(endToEndId)) {
      throw new SepaError('duplicate_end_to_end_id', `endToEndId ${endToEndId} appears twice`, {
        endToEndId,
      });
    }
    seen.add(endToEndId);
  }
}

function sum(payments: readonly CheckedPayment[]): bigint {
  return payments.reduce((total, payment) => total + payment.amountCents, 0n);
}

/** PmtInfId: the message id with a per-date suffix, cut so the whole stays within 35 characters. */
function paymentInformationId(messageId: string, ordinal: number): string {
  const suffix = `-${ordinal}`;
  return `${messageId.slice(0, 35 - suffix.length).replace(/\/+$/, '')}${suffix}`;
}
