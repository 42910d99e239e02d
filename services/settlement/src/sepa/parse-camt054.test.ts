import { expect } from 'chai';
import fc from 'fast-check';
import { buildCamt054, type Camt054EntryInput } from './build-camt054';
import { buildPain001 } from './build-pain001';
import { decimalToCents } from './cents';
import { parseCamt054 } from './parse-camt054';
import { SepaError, type SepaErrorCode } from './sepa-error';
import { buildCamt054Input, buildCamtEntry, buildPain001Input } from './sepa-test-builders';

// Hand-written notifications shaped like the ones French banks send, one per layout the parser must read.

/** 001.02: one batch debit of two transfers; line amounts only in AmtDtls/TxAmt, CdtDbtInd only on the entry. */
const BATCH_DEBIT_001_02 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>0000123456789</MsgId><CreDtTm>2026-12-02T07:12:44+01:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-0001</Id>
      <CreDtTm>2026-12-02T07:12:44+01:00</CreDtTm>
      <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="EUR">123456789012.34</Amt>
        <CdtDbtInd>DBIT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><DtTm>2026-12-01T18:30:00+01:00</DtTm></BookgDt>
        <ValDt><Dt>2026-12-01</Dt></ValDt>
        <AcctSvcrRef>0000987</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <Btch><NbOfTxs>2</NbOfTxs></Btch>
          <TxDtls>
            <Refs><EndToEndId>000123</EndToEndId></Refs>
            <AmtDtls><TxAmt><Amt Ccy="EUR">123456789002.34</Amt></TxAmt></AmtDtls>
            <RltdPties><Cdtr><Nm>CLUB INFORMATIQUE DE LYON</Nm></Cdtr></RltdPties>
            <RmtInf><Ustrd>RELEVE PN-2026-000123</Ustrd><Ustrd>PASS NUMERIQUE</Ustrd></RmtInf>
          </TxDtls>
          <TxDtls>
            <Refs><EndToEndId>3f2b8c1e9a7d4e5f8a6b2c1d0e9f8a7b</EndToEndId></Refs>
            <AmtDtls><InstdAmt><Amt Ccy="EUR">10.0</Amt></InstdAmt></AmtDtls>
          </TxDtls>
        </NtryDtls>
        <AddtlNtryInf>REMISE VIREMENTS SEPA</AddtlNtryInf>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`;

/** 001.04 with a namespace prefix: a returned transfer (AC01) and a pending debit. */
const RETURN_AND_PENDING_001_04 = `<?xml version="1.0" encoding="UTF-8"?>
<ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04">
  <ns2:BkToCstmrDbtCdtNtfctn>
    <ns2:GrpHdr><ns2:MsgId>RET-20261205</ns2:MsgId><ns2:CreDtTm>2026-12-05T06:00:00</ns2:CreDtTm></ns2:GrpHdr>
    <ns2:Ntfctn>
      <ns2:Id>RET-20261205-1</ns2:Id>
      <ns2:CreDtTm>2026-12-05T06:00:00</ns2:CreDtTm>
      <ns2:Acct><ns2:Id><ns2:IBAN>FR7630006000011234567890189</ns2:IBAN></ns2:Id></ns2:Acct>
      <ns2:Ntry>
        <ns2:Amt Ccy="EUR">25.00</ns2:Amt>
        <ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>
        <ns2:Sts>BOOK</ns2:Sts>
        <ns2:BookgDt><ns2:Dt>2026-12-04</ns2:Dt></ns2:BookgDt>
        <ns2:BkTxCd><ns2:Domn><ns2:Cd>PMNT</ns2:Cd><ns2:Fmly><ns2:Cd>ICDT</ns2:Cd><ns2:SubFmlyCd>RRTN</ns2:SubFmlyCd></ns2:Fmly></ns2:Domn></ns2:BkTxCd>
        <ns2:NtryDtls><ns2:TxDtls>
          <ns2:Refs><ns2:EndToEndId>PAYOUT-42</ns2:EndToEndId></ns2:Refs>
          <ns2:Amt Ccy="EUR">25.00</ns2:Amt>
          <ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>
          <ns2:RtrInf>
            <ns2:Rsn><ns2:Cd>AC01</ns2:Cd></ns2:Rsn>
            <ns2:AddtlInf>IBAN INCORRECT</ns2:AddtlInf>
            <ns2:AddtlInf>RETOUR VIREMENT</ns2:AddtlInf>
          </ns2:RtrInf>
        </ns2:TxDtls></ns2:NtryDtls>
      </ns2:Ntry>
      <ns2:Ntry>
        <ns2:Amt Ccy="EUR">40.00</ns2:Amt>
        <ns2:CdtDbtInd>DBIT</ns2:CdtDbtInd>
        <ns2:Sts>PDNG</ns2:Sts>
        <ns2:BkTxCd><ns2:Domn><ns2:Cd>PMNT</ns2:Cd><ns2:Fmly><ns2:Cd>ICDT</ns2:Cd><ns2:SubFmlyCd>ESCT</ns2:SubFmlyCd></ns2:Fmly></ns2:Domn></ns2:BkTxCd>
        <ns2:NtryDtls><ns2:TxDtls>
          <ns2:Refs><ns2:EndToEndId>PAYOUT-43</ns2:EndToEndId></ns2:Refs>
          <ns2:Amt Ccy="EUR">40.00</ns2:Amt>
          <ns2:CdtDbtInd>DBIT</ns2:CdtDbtInd>
        </ns2:TxDtls></ns2:NtryDtls>
      </ns2:Ntry>
    </ns2:Ntfctn>
  </ns2:BkToCstmrDbtCdtNtfctn>
</ns2:Document>`;

/** 001.08: a return told only by its bank transaction code, a reversal, and a line without EndToEndId. */
const CODES_ONLY_001_08 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>N08-1</MsgId><CreDtTm>2026-12-06T06:00:00Z</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>N08-1</Id>
      <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="EUR">15.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>PAYOUT-44</EndToEndId></Refs>
          <RltdPties><Cdtr><Pty><Nm>MJC DE BRON</Nm></Pty></Cdtr></RltdPties>
        </TxDtls></NtryDtls>
        <AddtlNtryInf>RETOUR VIR SEPA MOTIF AC04</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts><Cd>BOOK</Cd></Sts>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls><Refs><EndToEndId>PAYOUT-45</EndToEndId></Refs></TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="EUR">7.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Prtry>ANNOUNCED</Prtry></Sts>
        <BkTxCd><Prtry><Cd>0517</Cd></Prtry></BkTxCd>
        <NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls></NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`;

/** A batch whose lines carry no amount: it cannot be split into payouts. */
const UNSPLITTABLE_BATCH = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>B-1</MsgId><CreDtTm>2026-12-02T07:00:00</CreDtTm></GrpHdr>
    <Ntfctn><Id>B-1</Id><CreDtTm>2026-12-02T07:00:00</CreDtTm>
      <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="EUR">20.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls><Refs><EndToEndId>P1</EndToEndId></Refs></TxDtls>
          <TxDtls><Refs><EndToEndId>P2</EndToEndId></Refs></TxDtls>
        </NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`;

/** camt.053 statement: the same entries inside Stmt. */
const STATEMENT_001_02 = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-12-31T20:00:00</CreDtTm></GrpHdr>
    <Stmt><Id>STMT-1</Id><CreDtTm>2026-12-31T20:00:00</CreDtTm>
      <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>
      <Ntry>
        <Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-12-30</Dt></BookgDt>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls><Refs><EndToEndId>P9</EndToEndId></Refs></TxDtls></NtryDtls>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>`;

function expectSepaError(run: () => unknown, code: SepaErrorCode): void {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(SepaError);
    expect((error as SepaError).code).to.equal(code);
    return;
  }
  throw new Error(`expected a SepaError ${code}`);
}

describe('parseCamt054', () => {
  it('splits a 001.02 batch debit into its transfers, amounts and ids kept as strings', () => {
    const notification = parseCamt054(BATCH_DEBIT_001_02);
    expect(notification.messageId).to.equal('0000123456789');
    expect(notification.messageType).to.equal('camt.054.001.02');
    expect(notification.createdAt).to.equal('2026-12-02T07:12:44+01:00');
    expect(notification.entries).to.have.length(2);
    const [first, second] = notification.entries;
    expect(first).to.deep.equal({
      endToEndId: '000123',
      amount: '123456789002.34',
      currency: 'EUR',
      creditDebit: 'DBIT',
      status: 'booked',
      entryStatus: 'BOOK',
      reversal: false,
      bookingDate: '2026-12-01',
      valueDate: '2026-12-01',
      additionalInfo: 'REMISE VIREMENTS SEPA',
      bankTransactionCode: 'PMNT/ICDT/ESCT',
      accountServicerReference: '0000987',
      accountIban: 'FR7630006000011234567890189',
      creditorName: 'CLUB INFORMATIQUE DE LYON',
      remittanceInformation: 'RELEVE PN-2026-000123 PASS NUMERIQUE',
    });
    expect(second).to.include({
      endToEndId: '3f2b8c1e9a7d4e5f8a6b2c1d0e9f8a7b',
      amount: '10.0',
      creditDebit: 'DBIT',
    });
  });

  it('reads a returned transfer with its reason code from a prefixed 001.04 file', () => {
    const [returned, pending] = parseCamt054(RETURN_AND_PENDING_001_04).entries;
    expect(returned).to.include({
      endToEndId: 'PAYOUT-42',
      amount: '25.00',
      creditDebit: 'CRDT',
      status: 'rejected',
      reasonCode: 'AC01',
      additionalInfo: 'IBAN INCORRECT | RETOUR VIREMENT',
      bankTransactionCode: 'PMNT/ICDT/RRTN',
      bookingDate: '2026-12-04',
    });
    expect(pending).to.include({ endToEndId: 'PAYOUT-43', status: 'pending', entryStatus: 'PDNG' });
    expect(pending).to.not.have.property('reasonCode');
  });

  it('treats a return bank transaction code and a reversal as rejected, and NOTPROVIDED as no id', () => {
    const notification = parseCamt054(CODES_ONLY_001_08);
    expect(notification.messageType).to.equal('camt.054.001.08');
    const [codeOnly, reversal, unknown] = notification.entries;
    expect(codeOnly).to.include({
      endToEndId: 'PAYOUT-44',
      amount: '15.00',
      status: 'rejected',
      entryStatus: 'BOOK',
      creditorName: 'MJC DE BRON',
      additionalInfo: 'RETOUR VIR SEPA MOTIF AC04',
    });
    expect(codeOnly).to.not.have.property('reasonCode');
    expect(reversal).to.include({ endToEndId: 'PAYOUT-45', status: 'rejected', reversal: true });
    expect(unknown).to.include({
      endToEndId: null,
      status: 'other',
      entryStatus: 'ANNOUNCED',
      amount: '7.00',
    });
    expect(unknown).to.not.have.property('bankTransactionCode');
  });

  it('reports a batch it cannot split as one line without EndToEndId', () => {
    const entries = parseCamt054(UNSPLITTABLE_BATCH).entries;
    expect(entries).to.have.length(1);
    expect(entries[0]).to.include({ endToEndId: null, amount: '20.00', status: 'booked' });
  });

  it('reads the entries of a camt.053 statement the same way', () => {
    const notification = parseCamt054(STATEMENT_001_02);
    expect(notification.messageType).to.equal('camt.053.001.02');
    expect(notification.entries).to.have.length(1);
    expect(notification.entries[0]).to.include({ endToEndId: 'P9', amount: '10.00', status: 'booked' });
  });

  it('refuses a DOCTYPE, malformed XML, another message and a missing MsgId', () => {
    expectSepaError(
      () =>
        parseCamt054(`<!DOCTYPE x [<!ENTITY a "aaaa">]>${BATCH_DEBIT_001_02.replace(/^<\?xml[^>]*>/, '')}`),
      'invalid_xml',
    );
    expectSepaError(() => parseCamt054(BATCH_DEBIT_001_02.replace('</Ntfctn>', '')), 'invalid_xml');
    expectSepaError(() => parseCamt054(buildPain001(buildPain001Input())), 'unsupported_message');
    expectSepaError(() => parseCamt054('<Document><BkToCstmrDbtCdtNtfctn/></Document>'), 'invalid_xml');
  });

  it('reads back every line buildCamt054 writes, in every version', () => {
    const entryArbitrary = fc.record({
      kind: fc.constantFrom('paid' as const, 'returned' as const),
      cents: fc.bigInt({ min: 1n, max: 99_999_999_999n }),
      reasonCode: fc.constantFrom('AC01', 'AC04', 'AM05', 'MS03', 'MD07'),
      status: fc.constantFrom('BOOK' as const, 'PDNG' as const),
    });
    fc.assert(
      fc.property(
        fc.constantFrom('001.02' as const, '001.04' as const, '001.08' as const),
        fc.array(entryArbitrary, { minLength: 1, maxLength: 20 }),
        (version, rows) => {
          const entries: Camt054EntryInput[] = rows.map((row, index) =>
            buildCamtEntry({
              kind: row.kind,
              endToEndId: `PAYOUT-${index}`,
              amountCents: row.cents,
              reasonCode: row.reasonCode,
              status: row.status,
            }),
          );
          const parsed = parseCamt054(buildCamt054(buildCamt054Input({ version, entries })));
          expect(parsed.messageType).to.equal(`camt.054.${version}`);
          expect(parsed.entries).to.have.length(rows.length);
          parsed.entries.forEach((line, index) => {
            const row = rows[index]!;
            expect(line.endToEndId).to.equal(`PAYOUT-${index}`);
            expect(decimalToCents(line.amount)).to.equal(row.cents);
            expect(line.currency).to.equal('EUR');
            if (row.kind === 'returned') {
              expect(line).to.include({
                creditDebit: 'CRDT',
                status: 'rejected',
                reasonCode: row.reasonCode,
              });
            } else {
              expect(line.creditDebit).to.equal('DBIT');
              expect(line.status).to.equal(row.status === 'BOOK' ? 'booked' : 'pending');
              expect(line).to.not.have.property('reasonCode');
            }
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
