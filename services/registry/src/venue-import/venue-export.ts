import { FEES, type Fee, isServiceSlug, type VenueForExport } from '../venues-open-data';
import type { Venue } from '../venues/venue';

/**
 * A stored venue as the open-data exporter wants it. Venues we created ourselves have no source id: they are
 * exported under our own id and the operator's name as source.
 */
export function toVenueForExport(venue: Venue, operatorName: string): VenueForExport {
  const { details } = venue;
  return {
    sourceId: venue.sourceId ?? venue.id,
    name: venue.name,
    siret: venue.siret,
    rna: venue.rna,
    rawPivot: details.rawPivot,
    address: venue.street,
    complement: venue.complement,
    postcode: venue.postcode,
    commune: venue.commune,
    inseeCode: venue.inseeCode,
    latitude: venue.latitude,
    longitude: venue.longitude,
    phone: venue.phone,
    emails: details.emails.length > 0 ? details.emails : venue.email ? [venue.email] : [],
    websites: details.websites.length > 0 ? details.websites : venue.website ? [venue.website] : [],
    openingHours: venue.openingHours,
    openingHoursValid: venue.openingHoursValid,
    services: venue.services.filter(isServiceSlug),
    publics: venue.publics,
    specificSupport: details.specificSupport,
    fees: details.fees.filter((fee): fee is Fee => FEES.labels.includes(fee)),
    supportModes: details.supportModes,
    accessModes: details.accessModes,
    nationalPrograms: details.nationalPrograms,
    trainingLabels: details.trainingLabels,
    otherLabels: details.otherLabels,
    typologies: details.typologies,
    acceptsPassNumerique: venue.acceptsPass,
    itinerant: venue.itinerant,
    accessibilityUrl: venue.accessibilityUrl,
    appointmentUrl: details.appointmentUrl,
    summary: details.summary,
    description: details.description,
    parentOrganisation: details.parentOrganisation,
    source: venue.source ?? operatorName,
    updatedAt: venue.sourceUpdatedAt ?? venue.updatedAt.toISOString().slice(0, 10),
  };
}
