import { expect } from 'chai';
import { distanceKm } from './nearby-venues';

describe('nearby venues', () => {
  it('measures great-circle distances: Privas to Valence is about 32 km', () => {
    const privas = { lat: 44.735, lon: 4.599 };
    const valence = { lat: 44.933, lon: 4.892 };
    expect(distanceKm(privas, valence)).to.be.within(30, 34);
    expect(distanceKm(privas, privas)).to.equal(0);
  });
});
