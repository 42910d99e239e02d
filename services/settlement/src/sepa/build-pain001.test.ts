import { expect } from 'chai';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { buildPain001, type Pain001Input, type Pain001Payment } from './build-pain001';
import { decimalToCents, MAX_SEPA_AMOUNT_CENTS } from './cents';
import { SepaError, type SepaErrorCode } from './sepa-error';
import {
  buildAddress,
  buildCreditor,
  buildDebtor,
  buildPain001Input,
  buildPayment,
  SEPA_IBANS,
} from './sepa-test-builders';

// biome-ignore lint/suspicious/noExplicitAny: parsed XML walked by element names; a wrong path fails the test anyway
type Node = Record<string, any>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => name === 'PmtInf' || name === 'CdtTrfTxInf',
});

function parse(xml: string): { header: Node; infos: Node[]; document: Node } {
  const document = parser.parse(xml).Document;
  return { document, header: document.CstmrCdtTrfInitn.GrpHdr, infos: document.CstmrCdtTrfInitn.PmtInf };
}

function expectSepaError(run: () => unknown, code: SepaErrorCode): SepaError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(SepaError);
    expect((error as SepaError).code).to.equal(code);
    return error as SepaError;
  }
  throw new Error(`expected a SepaError ${code}`);
}

describe('buildPain001', () => {
  it('writes a pain.001.001.09 SEPA credit transfer with the operator as debtor', () => {
    const xml = buildPain001(buildPain001Input());
    const { document, header, infos } = parse(xml);
    expect(document['@_xmlns']).to.equal('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    expect(header).to.deep.include({
      MsgId: 'PN-20261130-0001',
      CreDtTm: '2026-11-30T09:15:00Z',
      NbOfTxs: '1',
      CtrlSum: '10.00',
    });
    expect(header.InitgPty.Nm).to.equal('Operateur Pass Numerique');
    const [info] = infos;
    expect(info).to.deep.include({
      PmtMtd: 'TRF',
      BtchBookg: 'false',
      ChrgBr: 'SLEV',
      NbOfTxs: '1',
      CtrlSum: '10.00',
    });
    expect(info?.PmtTpInf.SvcLvl.Cd).to.equal('SEPA');
    expect(info?.ReqdExctnDt.Dt).to.equal('2026-12-01');
    expect(info?.DbtrAcct.Id.IBAN).to.equal('FR7630006000011234567890189');
    expect(info?.DbtrAgt.FinInstnId.BICFI).to.equal('AGRIFRPP');
  });

  it('writes the payout id as EndToEndId, the amount in euros and the statement number as remittance', () => {
    const { infos } = parse(buildPain001(buildPain001Input()));
    const [transaction] = infos[0]?.CdtTrfTxInf ?? [];
    expect(transaction.PmtId.EndToEndId).to.equal('3f2b8c1e9a7d4e5f8a6b2c1d0e9f8a7b');
    expect(transaction.Amt.InstdAmt).to.deep.equal({ '#text': '10.00', '@_Ccy': 'EUR' });
    expect(transaction.CdtrAcct.Id.IBAN).to.equal('FR1420041010050500013M02606');
    expect(transaction.RmtInf.Ustrd).to.equal('RELEVE PN-2026-000123 PASS NUMERIQUE');
  });

  it('writes structured creditor and debtor addresses, never address lines', () => {
    const xml = buildPain001(buildPain001Input());
    const { infos } = parse(xml);
    const [transaction] = infos[0]?.CdtTrfTxInf ?? [];
    expect(transaction.Cdtr.PstlAdr).to.deep.equal({
      StrtNm: 'Avenue Jean Jaures',
      BldgNb: '3 bis',
      PstCd: '69007',
      TwnNm: 'Lyon',
      Ctry: 'FR',
    });
    expect(infos[0]?.Dbtr.PstlAdr).to.deep.equal({
      StrtNm: 'Rue de la Roquette',
      BldgNb: '12',
      PstCd: '75011',
      TwnNm: 'Paris',
      Ctry: 'FR',
    });
    expect(xml).not.to.include('AdrLine');
  });

  it('leaves out BldgNb when the address has no building number', () => {
    const creditor = buildCreditor({
      address: buildAddress({ streetName: 'Place de la Mairie', buildingNumber: '' }),
    });
    const { infos } = parse(buildPain001(buildPain001Input({ payments: [buildPayment({ creditor })] })));
    expect(infos[0]?.CdtTrfTxInf[0].Cdtr.PstlAdr).to.not.have.property('BldgNb');
  });

  it('transliterates names, addresses and remittance to the SEPA character set', () => {
    const creditor = buildCreditor({
      name: 'Association « Les Amis d’Émile » & Cœur',
      address: buildAddress({ streetName: 'Rue de l’Église', townName: 'Saint-Étienne' }),
    });
    const payment = buildPayment({
      creditor,
      remittanceInformation: 'Relevé n°PN-2026-000123 – Pass numérique',
    });
    const xml = buildPain001(buildPain001Input({ payments: [payment] }));
    const transaction = parse(xml).infos[0]?.CdtTrfTxInf[0];
    expect(transaction.Cdtr.Nm).to.equal("Association ' Les Amis d'Emile ' + Coeur");
    expect(transaction.Cdtr.PstlAdr.StrtNm).to.equal("Rue de l'Eglise");
    expect(transaction.Cdtr.PstlAdr.TwnNm).to.equal('Saint-Etienne');
    expect(transaction.RmtInf.Ustrd).to.equal('Releve n PN-2026-000123 - Pass numerique');
    expect(xml).to.match(/^[\x20-\x7e\n]*$/);
  });

  it('normalises IBAN, BIC and country code', () => {
    const creditor = buildCreditor({ iban: 'fr14 2004 1010 0505 0001 3m02 606', bic: 'psst fr pp par' });
    const debtor = buildDebtor({ address: buildAddress({ country: ' fr ' }) });
    const { infos } = parse(
      buildPain001(buildPain001Input({ debtor, payments: [buildPayment({ creditor })] })),
    );
    const transaction = infos[0]?.CdtTrfTxInf[0];
    expect(transaction.CdtrAcct.Id.IBAN).to.equal('FR1420041010050500013M02606');
    expect(transaction.CdtrAgt.FinInstnId.BICFI).to.equal('PSSTFRPPPAR');
    expect(infos[0]?.Dbtr.PstlAdr.Ctry).to.equal('FR');
  });

  it('says NOTPROVIDED for the debtor agent when the operator has no BIC configured', () => {
    const { infos } = parse(buildPain001(buildPain001Input({ debtor: buildDebtor({ bic: undefined }) })));
    expect(infos[0]?.DbtrAgt.FinInstnId).to.deep.equal({ Othr: { Id: 'NOTPROVIDED' } });
  });

  it('groups payments into one PmtInf per execution date, in date order', () => {
    const payments = [
      buildPayment({ endToEndId: 'A1', requestedExecutionDate: '2026-12-03', amountCents: 100n }),
      buildPayment({ endToEndId: 'A2', requestedExecutionDate: '2026-12-01', amountCents: 250n }),
      buildPayment({ endToEndId: 'A3', requestedExecutionDate: '2026-12-03', amountCents: '1' }),
    ];
    const { header, infos } = parse(buildPain001(buildPain001Input({ payments })));
    expect(infos.map((info) => info.ReqdExctnDt.Dt)).to.deep.equal(['2026-12-01', '2026-12-03']);
    expect(infos.map((info) => info.PmtInfId)).to.deep.equal(['PN-20261130-0001-1', 'PN-20261130-0001-2']);
    expect(infos.map((info) => [info.NbOfTxs, info.CtrlSum])).to.deep.equal([
      ['1', '2.50'],
      ['2', '1.01'],
    ]);
    expect(infos[1]?.CdtTrfTxInf.map((tx: Node) => tx.PmtId.EndToEndId)).to.deep.equal(['A1', 'A3']);
    expect([header.NbOfTxs, header.CtrlSum]).to.deep.equal(['3', '3.51']);
  });

  it('keeps PmtInfId within 35 characters for a 35-character message id', () => {
    const { infos } = parse(buildPain001(buildPain001Input({ messageId: 'M'.repeat(35) })));
    expect(infos[0]?.PmtInfId).to.equal(`${'M'.repeat(33)}-1`);
  });

  it('writes exact counts and control sums for many random amounts', () => {
    const paymentsArbitrary = fc.array(
      fc.record({
        cents: fc.bigInt({ min: 1n, max: MAX_SEPA_AMOUNT_CENTS }),
        date: fc.constantFrom('2026-12-01', '2026-12-02', '2026-12-03'),
        asString: fc.boolean(),
      }),
      { minLength: 1, maxLength: 60 },
    );
    fc.assert(
      fc.property(paymentsArbitrary, (rows) => {
        const payments: Pain001Payment[] = rows.map((row, index) =>
          buildPayment({
            endToEndId: `PAYOUT-${index}`,
            amountCents: row.asString ? row.cents.toString() : row.cents,
            requestedExecutionDate: row.date,
          }),
        );
        const { header, infos } = parse(buildPain001(buildPain001Input({ payments })));
        const expectedTotal = rows.reduce((total, row) => total + row.cents, 0n);
        expect(header.NbOfTxs).to.equal(String(rows.length));
        expect(decimalToCents(header.CtrlSum)).to.equal(expectedTotal);

        let transactions = 0;
        for (const info of infos) {
          const lines: Node[] = info.CdtTrfTxInf;
          const lineTotal = lines.reduce((total, tx) => total + decimalToCents(tx.Amt.InstdAmt['#text']), 0n);
          const expected = rows.filter((row) => row.date === info.ReqdExctnDt.Dt);
          expect(info.NbOfTxs).to.equal(String(expected.length));
          expect(decimalToCents(info.CtrlSum)).to.equal(lineTotal);
          expect(lineTotal).to.equal(expected.reduce((total, row) => total + row.cents, 0n));
          for (const tx of lines) expect(tx.Amt.InstdAmt['#text']).to.match(/^\d{1,9}\.\d{2}$/);
          transactions += lines.length;
        }
        expect(transactions).to.equal(rows.length);
      }),
      { numRuns: 200 },
    );
  });

  describe('refuses invalid input with a stable code', () => {
    const withPayment = (overrides: Partial<Pain001Payment>): Pain001Input =>
      buildPain001Input({ payments: [buildPayment(overrides)] });

    it('no payment at all', () => {
      expectSepaError(() => buildPain001(buildPain001Input({ payments: [] })), 'no_payments');
    });

    it('an IBAN with a wrong checksum', () => {
      const error = expectSepaError(
        () => buildPain001(withPayment({ creditor: buildCreditor({ iban: 'FR1420041010050500013M02607' }) })),
        'invalid_iban',
      );
      expect(error.details.field).to.equal('payments[0].creditor.iban');
    });

    it('a valid IBAN outside SEPA', () => {
      expectSepaError(
        () =>
          buildPain001(withPayment({ creditor: buildCreditor({ iban: 'BR1800360305000010009795493C1' }) })),
        'iban_not_sepa',
      );
    });

    it('an invalid debtor BIC', () => {
      expectSepaError(
        () => buildPain001(buildPain001Input({ debtor: buildDebtor({ bic: 'NOTABIC' }) })),
        'invalid_bic',
      );
    });

    for (const field of ['streetName', 'postCode', 'townName'] as const) {
      it(`a creditor address without ${field}`, () => {
        const creditor = buildCreditor({ address: buildAddress({ [field]: '  ' }) });
        const error = expectSepaError(() => buildPain001(withPayment({ creditor })), 'missing_field');
        expect(error.details.field).to.equal(`payments[0].creditor.address.${field}`);
      });
    }

    it('a creditor without any address', () => {
      const creditor = { ...buildCreditor(), address: undefined } as unknown as ReturnType<
        typeof buildCreditor
      >;
      expectSepaError(() => buildPain001(withPayment({ creditor })), 'missing_field');
    });

    it('a country that is not an ISO alpha-2 code', () => {
      const creditor = buildCreditor({ address: buildAddress({ country: 'France' }) });
      expectSepaError(() => buildPain001(withPayment({ creditor })), 'invalid_country');
    });

    it('a zero or negative amount', () => {
      expectSepaError(() => buildPain001(withPayment({ amountCents: 0n })), 'amount_not_positive');
      expectSepaError(() => buildPain001(withPayment({ amountCents: '-100' })), 'amount_not_positive');
    });

    it('an amount given as a JS number or as a decimal string', () => {
      expectSepaError(
        () => buildPain001(withPayment({ amountCents: 1000 as unknown as bigint })),
        'invalid_amount',
      );
      expectSepaError(() => buildPain001(withPayment({ amountCents: '10.00' })), 'invalid_amount');
    });

    it('an amount above the SEPA maximum', () => {
      expectSepaError(
        () => buildPain001(withPayment({ amountCents: MAX_SEPA_AMOUNT_CENTS + 1n })),
        'amount_too_large',
      );
    });

    it('an EndToEndId longer than 35 characters, with a space or an accent', () => {
      for (const endToEndId of ['0f8fad5b-d9cb-469f-a165-70867728950e', 'PAYOUT 1', 'réf-1', '']) {
        expectSepaError(() => buildPain001(withPayment({ endToEndId })), 'invalid_end_to_end_id');
      }
    });

    it('the same EndToEndId twice', () => {
      const payments = [buildPayment({ endToEndId: 'P1' }), buildPayment({ endToEndId: 'P1' })];
      expectSepaError(() => buildPain001(buildPain001Input({ payments })), 'duplicate_end_to_end_id');
    });

    it('a message id with a space', () => {
      expectSepaError(() => buildPain001(buildPain001Input({ messageId: 'PN 1' })), 'invalid_message_id');
    });

    it('an impossible execution date', () => {
      expectSepaError(
        () => buildPain001(withPayment({ requestedExecutionDate: '2026-02-30' })),
        'invalid_date',
      );
      expectSepaError(
        () => buildPain001(withPayment({ requestedExecutionDate: '01/12/2026' })),
        'invalid_date',
      );
    });

    it('an invalid creation date', () => {
      expectSepaError(() => buildPain001(buildPain001Input({ createdAt: new Date('nope') })), 'invalid_date');
    });

    it('a creditor name longer than 70 characters', () => {
      const creditor = buildCreditor({ name: 'A'.repeat(71) });
      expectSepaError(() => buildPain001(withPayment({ creditor })), 'field_too_long');
    });

    it('a remittance longer than 140 characters', () => {
      expectSepaError(
        () => buildPain001(withPayment({ remittanceInformation: 'R'.repeat(141) })),
        'field_too_long',
      );
    });
  });

  it('accepts every SEPA IBAN of the test set as creditor account', () => {
    const payments = SEPA_IBANS.map((iban, index) =>
      buildPayment({ endToEndId: `P${index}`, creditor: buildCreditor({ iban }) }),
    );
    const { infos } = parse(buildPain001(buildPain001Input({ payments })));
    expect(infos[0]?.CdtTrfTxInf.map((tx: Node) => tx.CdtrAcct.Id.IBAN)).to.deep.equal([...SEPA_IBANS]);
  });
});
