import { expect } from 'chai';
import {
  communesByPostcode,
  findCommune,
  isInTerritory,
  resolveInseeCode,
  unknownTerritoryCodes,
} from './territory';

describe('territory', () => {
  it('knows communes and départements of the official geography', () => {
    expect(findCommune('07007')?.name).to.equal('Alboussière');
    expect(findCommune('2A004')?.departement).to.equal('2A');
    expect(
      unknownTerritoryCodes({ departements: ['07', '2A', '971', '99'], communes: ['07007', '00000'] }),
    ).to.deep.equal({
      departements: ['99'],
      communes: ['00000'],
    });
  });

  it('resolves an INSEE code from postcode and commune name, accents and case ignored', () => {
    expect(resolveInseeCode('07440', 'ALBOUSSIERE')).to.equal('07007');
    expect(communesByPostcode('07440').length).to.be.greaterThan(1);
    expect(resolveInseeCode('07440', 'Nowhere')).to.equal(undefined);
    expect(resolveInseeCode('99999', 'Paris')).to.equal(undefined);
  });

  it('puts a commune inside its département, its own code, or its parent commune', () => {
    expect(isInTerritory({ departements: ['07'], communes: [] }, '07007')).to.equal(true);
    expect(isInTerritory({ departements: ['26'], communes: [] }, '07007')).to.equal(false);
    expect(isInTerritory({ departements: [], communes: ['69123'] }, '69383')).to.equal(true);
    expect(isInTerritory({ departements: [], communes: [] }, null)).to.equal(true);
    expect(isInTerritory({ departements: ['07'], communes: [] }, null)).to.equal(false);
  });
});
