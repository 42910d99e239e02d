import { expect } from 'chai';
import { resolveVenueInseeCode } from './resolve-insee-code';

describe('resolveVenueInseeCode', () => {
  it('takes the only commune of a postcode', () => {
    expect(resolveVenueInseeCode('38000', null)).to.include({ code: '38185', method: 'postcode' });
  });

  it('picks the commune named in capitals without accents among those of its postcode', () => {
    expect(resolveVenueInseeCode('07440', 'ALBOUSSIERE')).to.include({
      code: '07007',
      method: 'postcode_and_name',
    });
  });

  it('picks the named commune among several sharing a postcode', () => {
    // 07000 serves Privas and several neighbours.
    expect(resolveVenueInseeCode('07000', 'Privas')).to.include({ code: '07186' });
  });

  it('matches a name that lost its apostrophe', () => {
    expect(resolveVenueInseeCode('26260', 'Saint-Donat-sur-lHerbasse')).to.include({ code: '26301' });
  });

  it('finds a commune whose official name is part of the name given', () => {
    expect(resolveVenueInseeCode('74140', 'Sciez-sur-Léman')).to.include({ communeName: 'Sciez' });
  });

  it('stays unresolved when two communes of the postcode contain the name', () => {
    // Valgelon-La Rochette and La Croix-de-la-Rochette both share 73110.
    expect(resolveVenueInseeCode('73110', 'La Rochette')).to.equal(undefined);
  });

  it('drops a CEDEX suffix and falls back on the name when the postcode is a CEDEX code', () => {
    expect(resolveVenueInseeCode('74003', 'Annecy Cedex 03')).to.include({
      code: '74010',
      method: 'name_only',
    });
  });

  it('uses a unique commune name when the postcode is wrong', () => {
    expect(resolveVenueInseeCode('01500', 'Bourg-en-Bresse')).to.include({
      code: '01053',
      method: 'name_only',
    });
  });

  it('gives up on an ambiguous or unknown commune', () => {
    expect(resolveVenueInseeCode('99999', 'Saint-Martin')).to.equal(undefined);
    expect(resolveVenueInseeCode(null, 'Nulle-Part-sur-Rien')).to.equal(undefined);
    expect(resolveVenueInseeCode(null, null)).to.equal(undefined);
  });
});
