import { expect } from 'chai';
import fc from 'fast-check';
import { boundingBox, haversineKm } from './geo';

describe('haversineKm', () => {
  it('measures Privas to Alboussière at about 25 km', () => {
    const privas = { latitude: 44.7353, longitude: 4.5992 };
    const alboussiere = { latitude: 44.943285, longitude: 4.727694 };
    expect(haversineKm(privas, alboussiere)).to.be.within(24, 26);
  });

  it('measures Paris to Lyon at about 392 km', () => {
    expect(
      haversineKm({ latitude: 48.8566, longitude: 2.3522 }, { latitude: 45.764, longitude: 4.8357 }),
    ).to.be.within(390, 394);
  });
});

describe('boundingBox', () => {
  it('contains every point within the radius', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: -170, max: 170, noNaN: true }),
        fc.double({ min: 0.5, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (latitude, longitude, radiusKm, bearing, fraction) => {
          // A point at `fraction` of the radius in direction `bearing` (small-distance approximation).
          const d = radiusKm * fraction;
          const point = {
            latitude: latitude + (d * Math.cos(bearing)) / 111.195,
            longitude: longitude + (d * Math.sin(bearing)) / (111.195 * Math.cos((latitude * Math.PI) / 180)),
          };
          fc.pre(haversineKm({ latitude, longitude }, point) <= radiusKm);
          const box = boundingBox({ latitude, longitude }, radiusKm);
          expect(point.latitude).to.be.within(box.minLatitude, box.maxLatitude);
          expect(point.longitude).to.be.within(box.minLongitude, box.maxLongitude);
        },
      ),
    );
  });
});
