import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import { normaliseBic, normaliseSepaIban } from './bank-account';
import { type Cents, formatCents, parseCents } from './cents';
import { checkIsoDate, isoDateTime } from './iso-date';
import { SepaError } from './sepa-error';
import { isSepaIdentifier, sepaTextField } from './sepa-text';

/** camt.054 versions the fixture builder writes: the common French 001.02, 001.04 and the 2019 001.08. */
export type Camt054Version = '001.02' | '001.04' | '001.08';

/**
 * One bank line about a payout, as the operator's bank would report it:
 * - `paid`: the transfer left the account: a booked DBIT, bank transaction code PMNT/ICDT/ESCT;
 * - `returned`: the creditor bank sent it back: a booked CRDT, PMNT/ICDT/RRTN, with RtrInf/Rsn/Cd and the
 *   original EndToEndId in Refs, which is how SEPA returns reach the originator in camt.054.
 */
export interface Camt054EntryInput {
  kind: 'paid' | 'returned';
  /** The EndToEndId of the original pain.001 transaction. */
  endToEndId: string;
  /** Integer cents (bigint or digit string), > 0. */
  amountCents: Cents;
  /** YYYY-MM-DD. */
  bookingDate: string;
  /** YYYY-MM-DD, defaults to the booking date. */
  valueDate?: string;
  /** Entry status, default BOOK. */
  status?: 'BOOK' | 'PDNG' | 'INFO';
  /** The association paid (RltdPties/Cdtr and CdtrAcct). */
  creditor?: { name: string; iban?: string };
  /** RmtInf/Ustrd, echoed from the transfer. */
  remittanceInformation?: string;
  /** ISO external return reason (AC01 wrong IBAN, AC04 closed account, AM05 duplicate, MS03 unspecified...); default AC01 for a return. */
  reasonCode?: string;
  /** RtrInf/AddtlInf for a return, AddtlNtryInf otherwise. */
  additionalInfo?: string;
  /** Ntry/AcctSvcrRef, default derived from the notification id and the line number. */
  accountServicerReference?: string;
}

/** A whole bank-to-customer debit/credit notification about the operator's account. */
export interface Camt054Input {
  /** Default 001.08. */
  version?: Camt054Version;
  /** GrpHdr/MsgId. */
  messageId: string;
  createdAt: Date;
  /** Ntfctn/Id, defaults to the message id. */
  notificationId?: string;
  /** The operator's account the notification is about. */
  account: { iban: string; ownerName?: string; bic?: string };
  entries: readonly Camt054EntryInput[];
}

/** Builds a realistic camt.054 notification (fixtures, demo "simulate bank return"); amounts from cents. */
export function buildCamt054(input: Camt054Input): string {
  const version = input.version ?? '001.08';
  for (const [field, id] of [
    ['messageId', input.messageId],
    ['notificationId', input.notificationId ?? input.messageId],
  ] as const) {
    if (!isSepaIdentifier(id)) {
      throw new SepaError('invalid_message_id', `${field} must be 1-35 SEPA identifier characters`, {
        field,
      });
    }
  }
  const iban = normaliseSepaIban(input.account.iban, 'account.iban');
  const notificationId = input.notificationId ?? input.messageId;
  const createdAt = isoDateTime(input.createdAt, 'createdAt');

  const document = create({ version: '1.0', encoding: 'UTF-8' }).ele(
    `urn:iso:std:iso:20022:tech:xsd:camt.054.${version}`,
    'Document',
  );
  const root = document.ele('BkToCstmrDbtCdtNtfctn');
  const header = root.ele('GrpHdr');
  header.ele('MsgId').txt(input.messageId);
  header.ele('CreDtTm').txt(createdAt);

  const notification = root.ele('Ntfctn');
  notification.ele('Id').txt(notificationId);
  notification.ele('CreDtTm').txt(createdAt);
  const account = notification.ele('Acct');
  account.ele('Id').ele('IBAN').txt(iban);
  account.ele('Ccy').txt('EUR');
  if (input.account.ownerName) {
    account
      .ele('Ownr')
      .ele('Nm')
      .txt(sepaTextField(input.account.ownerName, 'account.ownerName', 140));
  }
  if (input.account.bic) {
    // The BIC element was renamed BICFI in 2013 (001.04 on).
    const bicElement = version === '001.02' ? 'BIC' : 'BICFI';
    account.ele('Svcr').ele('FinInstnId').ele(bicElement).txt(normaliseBic(input.account.bic, 'account.bic'));
  }

  input.entries.forEach((entry, index) => {
    writeEntry(
      notification,
      entry,
      version,
      `entries[${index}]`,
      `${notificationId.slice(0, 30)}-${index + 1}`,
    );
  });
  return document.end({ prettyPrint: true });
}

function writeEntry(
  parent: XMLBuilder,
  entry: Camt054EntryInput,
  version: Camt054Version,
  path: string,
  defaultReference: string,
): void {
  if (!isSepaIdentifier(entry.endToEndId)) {
    throw new SepaError(
      'invalid_end_to_end_id',
      `${path}.endToEndId must be 1-35 SEPA identifier characters`,
      {
        field: `${path}.endToEndId`,
      },
    );
  }
  const cents = parseCents(entry.amountCents, `${path}.amountCents`);
  if (cents <= 0n) {
    throw new SepaError('amount_not_positive', `${path}.amountCents must be positive`, {
      field: `${path}.amountCents`,
    });
  }
  const bookingDate = checkIsoDate(entry.bookingDate, `${path}.bookingDate`);
  const valueDate = checkIsoDate(entry.valueDate ?? entry.bookingDate, `${path}.valueDate`);
  const returned = entry.kind === 'returned';
  const reasonCode = returned ? (entry.reasonCode ?? 'AC01') : undefined;
  if (reasonCode !== undefined && !/^[A-Z0-9]{4}$/.test(reasonCode)) {
    throw new SepaError('invalid_reason_code', `${path}.reasonCode must be a 4-character ISO return reason`, {
      field: `${path}.reasonCode`,
    });
  }
  const indicator = returned ? 'CRDT' : 'DBIT';
  const amount = formatCents(cents);
  const status = entry.status ?? 'BOOK';

  const ntry = parent.ele('Ntry');
  ntry.ele('Amt', { Ccy: 'EUR' }).txt(amount);
  ntry.ele('CdtDbtInd').txt(indicator);
  // Entry status became a choice (Cd or Prtry) in the 2018-2019 versions.
  if (version === '001.08') ntry.ele('Sts').ele('Cd').txt(status);
  else ntry.ele('Sts').txt(status);
  ntry.ele('BookgDt').ele('Dt').txt(bookingDate);
  ntry.ele('ValDt').ele('Dt').txt(valueDate);
  ntry.ele('AcctSvcrRef').txt(entry.accountServicerReference ?? defaultReference);
  const domain = ntry.ele('BkTxCd').ele('Domn');
  domain.ele('Cd').txt('PMNT');
  const family = domain.ele('Fmly');
  family.ele('Cd').txt('ICDT');
  family.ele('SubFmlyCd').txt(returned ? 'RRTN' : 'ESCT');

  const tx = ntry.ele('NtryDtls').ele('TxDtls');
  tx.ele('Refs').ele('EndToEndId').txt(entry.endToEndId);
  if (version === '001.02') {
    // 001.02 has no TxDtls/Amt: the line amount sits in AmtDtls/TxAmt.
    tx.ele('AmtDtls').ele('TxAmt').ele('Amt', { Ccy: 'EUR' }).txt(amount);
  } else {
    tx.ele('Amt', { Ccy: 'EUR' }).txt(amount);
    tx.ele('CdtDbtInd').txt(indicator);
  }
  if (entry.creditor) {
    const parties = tx.ele('RltdPties');
    const creditor = parties.ele('Cdtr');
    // From 001.07 the party is wrapped in a Pty/Agt choice.
    (version === '001.08' ? creditor.ele('Pty') : creditor)
      .ele('Nm')
      .txt(sepaTextField(entry.creditor.name, `${path}.creditor.name`, 140));
    if (entry.creditor.iban) {
      parties
        .ele('CdtrAcct')
        .ele('Id')
        .ele('IBAN')
        .txt(normaliseSepaIban(entry.creditor.iban, `${path}.creditor.iban`));
    }
  }
  if (entry.remittanceInformation) {
    tx.ele('RmtInf')
      .ele('Ustrd')
      .txt(sepaTextField(entry.remittanceInformation, `${path}.remittanceInformation`, 140));
  }
  if (returned) {
    const returnInfo = tx.ele('RtrInf');
    returnInfo
      .ele('Rsn')
      .ele('Cd')
      .txt(reasonCode ?? 'AC01');
    if (entry.additionalInfo) {
      returnInfo.ele('AddtlInf').txt(sepaTextField(entry.additionalInfo, `${path}.additionalInfo`, 105));
    }
  } else if (entry.additionalInfo) {
    ntry.ele('AddtlNtryInf').txt(sepaTextField(entry.additionalInfo, `${path}.additionalInfo`, 500));
  }
}
