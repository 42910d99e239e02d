import { expect } from 'chai';
import { fillColorOperator, pdfNumber, textOperators, toWinAnsi } from './pdf-text';

describe('toWinAnsi', () => {
  it('keeps French letters, the euro sign and typographic punctuation that Helvetica has', () => {
    const text = 'Éloïse à Nîmes — « 10,00\u00a0€ » · n° 3 … l’œuvre';
    expect(toWinAnsi(text)).to.equal(text);
  });

  it('turns narrow and thin spaces (as Intl prints amounts) into no-break spaces', () => {
    expect(toWinAnsi('1\u202f234,00\u00a0€')).to.equal('1\u00a0234,00\u00a0€');
  });

  it('drops accents the encoding lacks and replaces what it cannot show', () => {
    expect(toWinAnsi('Erdős')).to.equal('Erdos');
    expect(toWinAnsi('Mairie 🏛 de Łódź')).to.equal('Mairie ? de ?ódz');
  });

  it('keeps line breaks for paragraph wrapping', () => {
    expect(toWinAnsi('ligne 1\nligne 2')).to.equal('ligne 1\nligne 2');
  });
});

describe('textOperators', () => {
  it('writes the text in WinAnsi codes at the given baseline', () => {
    expect(textOperators('PH', 7, 10.123, 20, 'é €')).to.equal('BT /PH 7 Tf 10.12 20 Td <e92080> Tj ET');
  });

  it('prints line breaks as spaces', () => {
    expect(textOperators('PC', 10, 0, 0, 'A\nB')).to.equal('BT /PC 10 Tf 0 0 Td <412042> Tj ET');
  });
});

describe('PDF numbers and colours', () => {
  it('never writes an exponent and rounds to two decimals', () => {
    expect(pdfNumber(1e-7)).to.equal('0');
    expect(pdfNumber(841.889999)).to.equal('841.89');
  });

  it('converts a hex colour to rg operands', () => {
    expect(fillColorOperator('#ff0080')).to.equal('1 0 0.502 rg');
  });
});
