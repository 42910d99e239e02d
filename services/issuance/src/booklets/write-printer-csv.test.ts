import { Writable } from 'node:stream';
import { expect } from 'chai';
import { type PrinterCsvRow, writePrinterCsv } from './write-printer-csv';

function memoryOutput() {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

function buildRow(overrides: Partial<PrinterCsvRow> = {}): PrinterCsvRow {
  return {
    serial: '00000001',
    booklet: 1,
    code: '7K3M-QX9P-2D4F-HR8T-V',
    payload: 'PN1.K1.7K3MQX9P2D4FHR8TV.ABC',
    ...overrides,
  };
}

async function* rowsOf(count: number): AsyncGenerator<PrinterCsvRow> {
  for (let i = 1; i <= count; i++)
    yield buildRow({ serial: String(i).padStart(8, '0'), booklet: Math.ceil(i / 10) });
}

describe('writePrinterCsv', () => {
  it('writes a UTF-8 BOM, a French header and one ";"-separated CRLF line per pass', async () => {
    const { out, text } = memoryOutput();
    await writePrinterCsv([buildRow()], out);
    expect(text()).to.equal(
      '\ufeffnumero_serie;carnet;code;contenu_qr\r\n00000001;1;7K3M-QX9P-2D4F-HR8T-V;PN1.K1.7K3MQX9P2D4FHR8TV.ABC\r\n',
    );
  });

  it('streams rows from an async source in order and ends the output', async () => {
    const { out, text } = memoryOutput();
    await writePrinterCsv(rowsOf(25), out);
    const lines = text().split('\r\n');
    expect(lines).to.have.length(27);
    expect(lines[25]).to.match(/^00000025;3;/);
    expect(lines[26]).to.equal('');
    expect(out.writableFinished).to.equal(true);
  });

  it('quotes a value holding the separator or a quote', async () => {
    const { out, text } = memoryOutput();
    await writePrinterCsv([buildRow({ serial: 'A;1', code: 'say "hi"' })], out, { bom: false });
    expect(text().split('\r\n')[1]).to.equal('"A;1";1;"say ""hi""";PN1.K1.7K3MQX9P2D4FHR8TV.ABC');
  });

  it('leaves the BOM out on request', async () => {
    const { out, text } = memoryOutput();
    await writePrinterCsv([], out, { bom: false });
    expect(text()).to.equal('numero_serie;carnet;code;contenu_qr\r\n');
  });
});
