import { expect } from 'chai';
import fc from 'fast-check';
import { SepaError } from './sepa-error';
import { isSepaIdentifier, isSepaText, sepaTextField, toSepaText } from './sepa-text';

describe('toSepaText', () => {
  it('strips French accents and cedillas to their base letters', () => {
    expect(toSepaText('Élodie Bérénice Ça où Noël ÂÊÎÔÛ')).to.equal('Elodie Berenice Ca ou Noel AEIOU');
  });

  it('spells out ligatures following the case of the next letter', () => {
    expect(toSepaText('Œuvre Cœur ŒUVRE Æther æ straße')).to.equal('Oeuvre Coeur OEUVRE Aether ae strasse');
  });

  it('turns typographic quotes into the apostrophe and & into +', () => {
    expect(toSepaText('L’Atelier « Numérique » & Co')).to.equal("L'Atelier ' Numerique ' + Co");
  });

  it('replaces characters outside the SEPA set by a space and collapses whitespace', () => {
    expect(toSepaText('  Club\tn°12  #1 @home\n')).to.equal('Club n 12 1 home');
  });

  it('folds no-break spaces and full-width letters', () => {
    expect(toSepaText('Paris\u00a011e ＡＢＣ')).to.equal('Paris 11e ABC');
  });

  it('always produces SEPA characters, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (input) => {
        expect(isSepaText(toSepaText(input))).to.equal(true);
      }),
    );
  });

  it('leaves SEPA text unchanged apart from whitespace', () => {
    const sepaChar = fc.constantFrom(..."abcXYZ0189/-?:().,'+ ".split(''));
    fc.assert(
      fc.property(fc.array(sepaChar, { maxLength: 60 }), (chars) => {
        const input = chars.join('');
        expect(toSepaText(input)).to.equal(input.replace(/\s+/g, ' ').trim());
      }),
    );
  });
});

describe('sepaTextField', () => {
  it('refuses a text longer than the field once transliterated', () => {
    const error = catchError(() => sepaTextField('é'.repeat(71), 'creditor.name', 70));
    expect(error.code).to.equal('field_too_long');
    expect(error.details).to.include({ field: 'creditor.name', maxLength: 70, length: 71 });
  });

  it('refuses a text that is empty once transliterated', () => {
    expect(catchError(() => sepaTextField(' ### ', 'townName', 35)).code).to.equal('missing_field');
  });
});

describe('isSepaIdentifier', () => {
  it('accepts 1 to 35 identifier characters', () => {
    expect(isSepaIdentifier('PN-2026/11:0001')).to.equal(true);
    expect(isSepaIdentifier('A'.repeat(35))).to.equal(true);
  });

  it('refuses spaces, accents, 36 characters and the slash patterns the EPC forbids', () => {
    for (const id of ['', 'with space', 'é1', 'A'.repeat(36), '/lead', 'trail/', 'dou//ble']) {
      expect(isSepaIdentifier(id), id).to.equal(false);
    }
  });
});

function catchError(run: () => unknown): SepaError {
  try {
    run();
  } catch (error) {
    if (error instanceof SepaError) return error;
    throw error;
  }
  throw new Error('expected a SepaError');
}
