const EARTH_RADIUS_KM = 6371.0088;
const KM_PER_DEGREE_LATITUDE = 111.195;

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in km (haversine): good to a few metres at the scale of a commune. */
export function haversineKm(
  a: { latitude: number; longitude: number },
  b: { latitude: number; longitude: number },
): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * A latitude/longitude box that contains the circle of `radiusKm` around a point: an index-friendly first filter
 * before the exact distance. Near the poles the box widens to every longitude.
 */
export function boundingBox(
  center: { latitude: number; longitude: number },
  radiusKm: number,
): { minLatitude: number; maxLatitude: number; minLongitude: number; maxLongitude: number } {
  const dLat = radiusKm / KM_PER_DEGREE_LATITUDE;
  const cos = Math.cos(radians(center.latitude));
  const dLon = cos < 1e-6 ? 180 : Math.min(180, radiusKm / (KM_PER_DEGREE_LATITUDE * cos));
  return {
    minLatitude: Math.max(-90, center.latitude - dLat),
    maxLatitude: Math.min(90, center.latitude + dLat),
    minLongitude: center.longitude - dLon,
    maxLongitude: center.longitude + dLon,
  };
}
