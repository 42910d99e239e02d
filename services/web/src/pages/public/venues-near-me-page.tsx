import { useState } from 'preact/hooks';
import { type DirectoryResult, type DirectoryVenue, findVenues } from '../../api/public-api';
import { TextField } from '../../components/field';
import { ErrorNotice, Notice } from '../../components/notice';
import { Page } from '../../components/page';
import { distanceKm, formatDistance } from '../../lib/distance';
import { useAction } from '../../lib/use-api';

type Position = { lat: number; lon: number };

/** Accredited venues accepting the pass, near the person's position or a town or postcode they type. */
export function VenuesNearMePage() {
  const [place, setPlace] = useState('');
  const [venues, setVenues] = useState<DirectoryVenue[] | undefined>(undefined);
  const [match, setMatch] = useState<DirectoryResult['match'] | undefined>(undefined);
  const [geoMessage, setGeoMessage] = useState<string | undefined>(undefined);
  const search = useAction(
    async (query: { lat?: number; lon?: number; commune?: string; postcode?: string }, from?: Position) => {
      const result = await findVenues(query);
      setMatch(result.match);
      const items = result.items.map((venue) => ({
        ...venue,
        distanceKm:
          venue.distanceKm ??
          (from && venue.latitude !== null && venue.longitude !== null
            ? distanceKm(from, { lat: venue.latitude, lon: venue.longitude })
            : null),
      }));
      if (from)
        items.sort(
          (a, b) => (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY),
        );
      setVenues(items);
    },
  );

  function locate() {
    setGeoMessage(undefined);
    if (!navigator.geolocation) {
      setGeoMessage('Votre appareil ne donne pas sa position : saisissez une commune ou un code postal.');
      return;
    }
    setGeoMessage('Recherche de votre position…');
    navigator.geolocation.getCurrentPosition(
      (result) => {
        const here = { lat: result.coords.latitude, lon: result.coords.longitude };
        setGeoMessage(undefined);
        search.run({ lat: here.lat, lon: here.lon }, here);
      },
      () => setGeoMessage('Position indisponible ou refusée : saisissez une commune ou un code postal.'),
      { enableHighAccuracy: false, timeout: 10_000, maximumAge: 600_000 },
    );
  }

  return (
    <Page title="Trouver un lieu près de chez moi" intro="Les lieux habilités où utiliser le Pass numérique.">
      <div class="card">
        <button type="button" class="button primary block" onClick={locate}>
          Utiliser ma position
        </button>
        {geoMessage ? <p role="status">{geoMessage}</p> : null}
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            const text = place.trim();
            if (!text) return;
            search.run(/^\d{5}$/.test(text) ? { postcode: text } : { commune: text });
          }}
        >
          <TextField
            label="Ou une commune, un code postal"
            value={place}
            onValue={setPlace}
            autoComplete="postal-code"
          />
          <button type="submit" class="button secondary">
            Rechercher
          </button>
        </form>
      </div>
      <ErrorNotice error={search.error} what="Recherche de lieux" />
      {match === 'departement' && venues && venues.length > 0 ? (
        <Notice>Aucun lieu dans cette commune même : voici les lieux habilités du département.</Notice>
      ) : null}
      {venues ? (
        venues.length === 0 ? (
          <Notice>Aucun lieu habilité trouvé. Essayez une commune voisine.</Notice>
        ) : (
          <ul class="venue-list" aria-label="Lieux trouvés">
            {venues.map((venue) => (
              <li key={venue.id} class="venue-card">
                <h2>{venue.name}</h2>
                <p>
                  {[venue.street, [venue.postcode, venue.commune].filter(Boolean).join(' ')]
                    .filter(Boolean)
                    .join(', ')}
                  {venue.itinerant ? ' (lieu itinérant)' : ''}
                </p>
                {typeof venue.distanceKm === 'number' ? (
                  <p class="distance">À {formatDistance(venue.distanceKm)}</p>
                ) : null}
                {venue.openingHours ? <p>Horaires : {venue.openingHours}</p> : null}
                {venue.catalogue.length > 0 ? (
                  <p>
                    Avec le pass :{' '}
                    {venue.catalogue
                      .map(
                        (item) =>
                          `${item.name} (${item.pricePasses} pass${item.zeroRemainder ? '' : ' + reste à charge'})`,
                      )
                      .join(' ; ')}
                  </p>
                ) : null}
                {venue.phone ? (
                  <p>
                    Téléphone : <a href={`tel:${venue.phone.replace(/\s/g, '')}`}>{venue.phone}</a>
                  </p>
                ) : null}
                {venue.latitude !== null && venue.longitude !== null ? (
                  <p>
                    <a
                      href={`https://www.openstreetmap.org/?mlat=${venue.latitude}&mlon=${venue.longitude}#map=17/${venue.latitude}/${venue.longitude}`}
                      rel="noopener noreferrer"
                      target="_blank"
                    >
                      Voir sur la carte (OpenStreetMap, nouvel onglet)
                    </a>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </Page>
  );
}
