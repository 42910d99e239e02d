const EARTH_RADIUS_KM = 6371;

/** Great-circle distance in km (haversine): enough to sort venues by how near they are. */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** "850 m", "3,2 km", "27 km". */
export function formatDistance(km: number): string {
  if (km < 1) return `${Math.round(km * 100) * 10}\u00a0m`;
  if (km < 10) return `${km.toFixed(1).replace('.', ',')}\u00a0km`;
  return `${Math.round(km)}\u00a0km`;
}
