import { expect } from 'chai';
import { validateRna } from './rna';

describe('validateRna', () => {
  it('accepts W followed by nine digits', () => {
    // The example of data.gouv.fr's own RNA format checker (datagouv/fr-format).
    expect(validateRna('W751515517')).to.deep.equal({ ok: true, value: 'W751515517' });
  });

  it('normalises case and spacing', () => {
    expect(validateRna(' w751 515 517 ')).to.deep.equal({ ok: true, value: 'W751515517' });
  });

  it('points out a SIREN typed in the RNA field', () => {
    expect(validateRna('120027016')).to.deep.equal({ ok: false, reason: 'looks_like_siren' });
  });

  it('refuses numbers without the W, with too few or too many digits, or with letters inside', () => {
    expect(validateRna('751515517')).to.deep.equal({ ok: false, reason: 'invalid_format' });
    expect(validateRna('W12')).to.deep.equal({ ok: false, reason: 'invalid_format' });
    expect(validateRna('W7515155170')).to.deep.equal({ ok: false, reason: 'invalid_format' });
    expect(validateRna('W75151551A')).to.deep.equal({ ok: false, reason: 'invalid_format' });
    expect(validateRna('678W23456')).to.deep.equal({ ok: false, reason: 'invalid_format' });
  });

  it('says why an empty or garbled value is refused', () => {
    expect(validateRna('')).to.deep.equal({ ok: false, reason: 'empty' });
    expect(validateRna('Wa1#89sf&h')).to.deep.equal({ ok: false, reason: 'invalid_characters' });
  });
});
