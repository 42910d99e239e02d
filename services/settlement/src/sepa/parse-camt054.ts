import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SepaError } from './sepa-error';

/**
 * What a bank line means for a payout:
 * - `booked`: the entry is booked and carries no return information (a paid transfer when it is a debit);
 * - `rejected`: the transfer came back (RtrInf present, a return/cancellation bank transaction code such as
 *   PMNT/ICDT/RRTN, or a reversal of the booking);
 * - `pending`: announced but not booked yet (PDNG);
 * - `other`: informational or future entries (INFO, FUTR, proprietary statuses).
 */
export type CamtTransactionStatus = 'booked' | 'rejected' | 'pending' | 'other';

/** One transaction line of a bank notification, amounts kept exactly as the bank wrote them. */
export interface CamtTransaction {
  /** Refs/EndToEndId (for a return: the original transfer's). Null when absent or NOTPROVIDED. */
  endToEndId: string | null;
  /** Decimal amount as in the file ("10.50"); use `decimalToCents` to compute with it. */
  amount: string;
  /** Amt/@Ccy, e.g. EUR. */
  currency: string;
  /** CRDT: money in (a return of a payout lands as a credit); DBIT: money out (a paid payout). */
  creditDebit: 'CRDT' | 'DBIT';
  status: CamtTransactionStatus;
  /** The entry status as written: BOOK, PDNG, INFO, FUTR or a proprietary value. */
  entryStatus: string;
  /** Ntry/RvslInd: this entry reverses an earlier booking. */
  reversal: boolean;
  /** RtrInf/Rsn/Cd (AC01, AC04, AM05, MS03...) or its proprietary reason. */
  reasonCode?: string;
  /** Ntry/BookgDt as YYYY-MM-DD. */
  bookingDate?: string;
  /** Ntry/ValDt as YYYY-MM-DD. */
  valueDate?: string;
  /** RtrInf/AddtlInf, AddtlTxInf and AddtlNtryInf joined with " | ". */
  additionalInfo?: string;
  /** ISO bank transaction code Domain/Family/SubFamily, e.g. PMNT/ICDT/ESCT. */
  bankTransactionCode?: string;
  /** The bank's own reference of the entry (Ntry/AcctSvcrRef), to find the line on the bank's site. */
  accountServicerReference?: string;
  /** IBAN of the account the notification is about. */
  accountIban?: string;
  creditorName?: string;
  debtorName?: string;
  /** RmtInf/Ustrd lines joined with a space. */
  remittanceInformation?: string;
}

/** A parsed camt.054 (camt.052 and camt.053 entries are read the same way). */
export interface CamtNotification {
  /** GrpHdr/MsgId. */
  messageId: string;
  /** The message definition from the namespace, e.g. camt.054.001.08, or null if none was declared. */
  messageType: string | null;
  /** GrpHdr/CreDtTm as written. */
  createdAt?: string;
  entries: CamtTransaction[];
}

/** Root element and the repeated account container of each supported cash-management message. */
const CONTAINERS: Readonly<Record<string, string>> = {
  BkToCstmrDbtCdtNtfctn: 'Ntfctn',
  BkToCstmrStmt: 'Stmt',
  BkToCstmrAcctRpt: 'Rpt',
};

/** Bank transaction sub-families of a transfer coming back: reversal after return / after cancellation. */
const RETURN_SUB_FAMILIES = new Set(['RRTN', 'RPCR']);

const REPEATED = new Set(['Ntfctn', 'Stmt', 'Rpt', 'Ntry', 'NtryDtls', 'TxDtls', 'AddtlInf', 'Ustrd']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Versions 001.02 to 001.08 differ by namespace only for the elements read here: match local names.
  removeNSPrefix: true,
  // Keep every value a string: amounts ("10.50") and references ("00123") must not become numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;

/**
 * Parses a bank-to-customer debit/credit notification (camt.054.001.02 to .08; camt.052/053 entries too)
 * into one line per transaction. Amounts and ids stay strings.
 */
export function parseCamt054(xml: string): CamtNotification {
  // Bank files never carry a DTD; refusing one rules out entity-expansion tricks.
  if (/<!DOCTYPE/i.test(xml)) throw new SepaError('invalid_xml', 'a camt file must not contain a DOCTYPE');
  const check = XMLValidator.validate(xml);
  if (check !== true) {
    throw new SepaError('invalid_xml', `not well-formed XML: ${check.err.msg}`, { line: check.err.line });
  }
  const document = asNode(asNode(parser.parse(xml)).Document);
  const rootName = Object.keys(CONTAINERS).find((name) => document[name] !== undefined);
  if (!rootName) {
    throw new SepaError('unsupported_message', 'not a camt.052, camt.053 or camt.054 document');
  }
  const root = asNode(document[rootName]);
  const header = asNode(root.GrpHdr);
  const messageId = text(header.MsgId);
  if (!messageId) throw new SepaError('invalid_xml', 'GrpHdr/MsgId is missing');

  const entries: CamtTransaction[] = [];
  for (const container of nodes(root[CONTAINERS[rootName] as string])) {
    const accountIban = text(path(container, 'Acct', 'Id', 'IBAN'));
    for (const entry of nodes(container.Ntry)) entries.push(...readEntry(entry, accountIban));
  }

  const namespace = /urn:iso:std:iso:20022:tech:xsd:(camt\.05[234]\.\d{3}\.\d{2})/.exec(xml);
  return {
    messageId,
    messageType: namespace?.[1] ?? null,
    ...optional('createdAt', text(header.CreDtTm)),
    entries,
  };
}

function readEntry(entry: Node, accountIban: string | undefined): CamtTransaction[] {
  const details = nodes(entry.NtryDtls);
  const transactions = details.flatMap((detail) => nodes(detail.TxDtls).map((tx) => ({ tx, batch: detail })));
  const entryAmount = amountOf(entry.Amt);
  if (!entryAmount) throw new SepaError('invalid_xml', 'Ntry/Amt is missing');

  const single = transactions.length === 1;
  // A batch entry whose lines carry no amount of their own cannot be split: report it as one line that no
  // payout matches, so a person looks at it rather than the import guessing.
  const splittable = transactions.every(({ tx }) => transactionAmount(tx) !== undefined);
  if (transactions.length === 0 || (!single && !splittable)) {
    return [line(entry, {}, entryAmount, creditDebit(entry), accountIban, null)];
  }
  return transactions.map(({ tx, batch }) => {
    const amount = transactionAmount(tx) ?? entryAmount;
    const indicator = creditDebit(tx) ?? creditDebit(asNode(batch.Btch)) ?? creditDebit(entry);
    return line(entry, tx, amount, indicator, accountIban, endToEndIdOf(tx));
  });
}

function line(
  entry: Node,
  tx: Node,
  amount: { value: string; currency: string },
  indicator: 'CRDT' | 'DBIT' | undefined,
  accountIban: string | undefined,
  endToEndId: string | null,
): CamtTransaction {
  if (!indicator) throw new SepaError('invalid_xml', 'Ntry/CdtDbtInd is missing or not CRDT/DBIT');
  const returnInfo = tx.RtrInf === undefined ? undefined : asNode(tx.RtrInf);
  const bankTransactionCode = domainCode(tx.BkTxCd) ?? domainCode(entry.BkTxCd);
  const reversal = text(entry.RvslInd) === 'true';
  const entryStatus =
    text(entry.Sts) ?? text(path(entry, 'Sts', 'Cd')) ?? text(path(entry, 'Sts', 'Prtry')) ?? '';
  const isReturnCode = RETURN_SUB_FAMILIES.has(bankTransactionCode?.split('/')[2] ?? '');

  const additional = [
    ...nodes(returnInfo?.AddtlInf).map(text),
    text(tx.AddtlTxInf),
    text(entry.AddtlNtryInf),
  ].filter((value): value is string => Boolean(value));
  const remittance = nodes(path(tx, 'RmtInf')?.Ustrd)
    .map(text)
    .filter((value): value is string => Boolean(value));

  return {
    endToEndId,
    amount: amount.value,
    currency: amount.currency,
    creditDebit: indicator,
    status:
      returnInfo !== undefined || isReturnCode || reversal
        ? 'rejected'
        : entryStatus === 'BOOK'
          ? 'booked'
          : entryStatus === 'PDNG'
            ? 'pending'
            : 'other',
    entryStatus,
    reversal,
    ...optional('reasonCode', text(path(returnInfo, 'Rsn', 'Cd')) ?? text(path(returnInfo, 'Rsn', 'Prtry'))),
    ...optional('bookingDate', dateOf(entry.BookgDt)),
    ...optional('valueDate', dateOf(entry.ValDt)),
    ...optional('additionalInfo', additional.length > 0 ? additional.join(' | ') : undefined),
    ...optional('bankTransactionCode', bankTransactionCode),
    ...optional('accountServicerReference', text(entry.AcctSvcrRef)),
    ...optional('accountIban', accountIban),
    ...optional('creditorName', partyName(path(tx, 'RltdPties', 'Cdtr'))),
    ...optional('debtorName', partyName(path(tx, 'RltdPties', 'Dbtr'))),
    ...optional('remittanceInformation', remittance.length > 0 ? remittance.join(' ') : undefined),
  };
}

/** TxDtls/Amt from 001.03 on; AmtDtls/TxAmt or InstdAmt in 001.02, where TxDtls has no Amt. */
function transactionAmount(tx: Node): { value: string; currency: string } | undefined {
  return (
    amountOf(tx.Amt) ??
    amountOf(path(tx, 'AmtDtls', 'TxAmt', 'Amt')) ??
    amountOf(path(tx, 'AmtDtls', 'InstdAmt', 'Amt'))
  );
}

function amountOf(value: unknown): { value: string; currency: string } | undefined {
  if (value === undefined) return undefined;
  const node = asNode(value);
  const amount = text(node['#text']);
  const currency = text(node['@_Ccy']);
  if (!amount || !currency) return undefined;
  return { value: amount, currency };
}

function creditDebit(node: Node): 'CRDT' | 'DBIT' | undefined {
  const value = text(node.CdtDbtInd);
  return value === 'CRDT' || value === 'DBIT' ? value : undefined;
}

function endToEndIdOf(tx: Node): string | null {
  const id = text(path(tx, 'Refs', 'EndToEndId'));
  return id && id !== 'NOTPROVIDED' ? id : null;
}

function domainCode(value: unknown): string | undefined {
  const domain = path(asNode(value), 'Domn');
  const codes = [text(domain?.Cd), text(path(domain, 'Fmly', 'Cd')), text(path(domain, 'Fmly', 'SubFmlyCd'))];
  return codes.every(Boolean) ? codes.join('/') : undefined;
}

/** RltdPties/Cdtr/Nm until 001.06, RltdPties/Cdtr/Pty/Nm from 001.07. */
function partyName(party: Node | undefined): string | undefined {
  return text(party?.Nm) ?? text(path(party, 'Pty', 'Nm'));
}

function dateOf(value: unknown): string | undefined {
  const node = value === undefined ? undefined : asNode(value);
  return text(node?.Dt) ?? text(node?.DtTm)?.slice(0, 10);
}

function path(node: Node | undefined, ...names: string[]): Node | undefined {
  let current: unknown = node;
  for (const name of names) {
    if (current === undefined || current === null || typeof current !== 'object') return undefined;
    const next = (current as Node)[name];
    current = Array.isArray(next) ? next[0] : next;
  }
  return current === undefined ? undefined : asNode(current);
}

function nodes(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(asNode);
}

/** Wraps text content as a node so `text()` and `path()` treat elements and strings alike. */
function asNode(value: unknown): Node {
  if (typeof value === 'string') return { '#text': value };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Node;
  if (Array.isArray(value)) return asNode(value[0]);
  return {};
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return text(value[0]);
  if (value !== null && typeof value === 'object') return text((value as Node)['#text']);
  return undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
