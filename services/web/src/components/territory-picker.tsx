import { useEffect, useId, useState } from 'preact/hooks';
import type { Territory } from '../api/issuance-api';
import { type Commune, listDepartements, searchCommunes } from '../api/public-api';
import { useApi } from '../lib/use-api';

/**
 * Départements and communes where the passes of a batch can be used (empty: anywhere). Départements come
 * from a select, communes from a name search; both end up as removable chips.
 */
export function TerritoryPicker(props: { value: Territory; onChange: (territory: Territory) => void }) {
  const id = useId();
  const departements = useApi((signal) => listDepartements(signal), []);
  const [departement, setDepartement] = useState('');
  const [query, setQuery] = useState('');
  const [suggestions, setSuggestions] = useState<Commune[]>([]);
  const [communeNames, setCommuneNames] = useState<Record<string, string>>({});
  const { value, onChange } = props;

  useEffect(() => {
    const text = query.trim();
    if (text.length < 2) {
      setSuggestions([]);
      return;
    }
    const controller = new AbortController();
    // Waits for a pause in typing so that each keystroke does not cost a request.
    const timer = setTimeout(() => {
      searchCommunes(text, controller.signal)
        .then(setSuggestions)
        .catch(() => setSuggestions([]));
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const departementName = (code: string) => departements.data?.find((d) => d.code === code)?.name ?? code;

  return (
    <fieldset>
      <legend>Territoire où les pass sont acceptés</legend>
      <p class="hint" id={`${id}-hint`}>
        Sans département ni commune, les pass sont acceptés partout. Sinon, seulement dans les lieux situés
        sur ce territoire.
      </p>
      <div class="inline-form">
        <div class="field">
          <label for={`${id}-dep`}>Département</label>
          <select
            id={`${id}-dep`}
            value={departement}
            onChange={(e) => setDepartement((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">Choisir un département…</option>
            {(departements.data ?? []).map((d) => (
              <option key={d.code} value={d.code}>
                {d.code} — {d.name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          class="button secondary"
          disabled={!departement || value.departements.includes(departement)}
          onClick={() => {
            onChange({ ...value, departements: [...value.departements, departement].sort() });
            setDepartement('');
          }}
        >
          Ajouter le département
        </button>
      </div>
      <div class="field">
        <label for={`${id}-commune`}>Commune (nom, 2 lettres au moins)</label>
        <input
          id={`${id}-commune`}
          value={query}
          autoComplete="off"
          aria-describedby={`${id}-commune-help`}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        />
        <p class="hint" id={`${id}-commune-help`} aria-live="polite">
          {query.trim().length >= 2
            ? `${suggestions.length} commune${suggestions.length > 1 ? 's' : ''} trouvée${suggestions.length > 1 ? 's' : ''}.`
            : ''}
        </p>
        {suggestions.length > 0 ? (
          <ul class="suggestions" aria-label="Communes trouvées">
            {suggestions.map((c) => (
              <li key={c.code}>
                <button
                  type="button"
                  disabled={value.communes.includes(c.code)}
                  onClick={() => {
                    setCommuneNames({ ...communeNames, [c.code]: c.name });
                    onChange({ ...value, communes: [...value.communes, c.code].sort() });
                    setQuery('');
                  }}
                >
                  {c.name} ({c.departement}) — {c.postcodes.slice(0, 3).join(', ')} · INSEE {c.code}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <p>
        <strong>Choisi :</strong>{' '}
        {value.departements.length === 0 && value.communes.length === 0 ? 'partout en France.' : null}
      </p>
      <ul class="chips" aria-label="Territoire choisi">
        {value.departements.map((code) => (
          <li key={`d${code}`} class="chip">
            Département {code} — {departementName(code)}
            <button
              type="button"
              aria-label={`Retirer le département ${code}`}
              onClick={() =>
                onChange({ ...value, departements: value.departements.filter((c) => c !== code) })
              }
            >
              ×
            </button>
          </li>
        ))}
        {value.communes.map((code) => (
          <li key={`c${code}`} class="chip">
            {communeNames[code] ?? 'Commune'} ({code})
            <button
              type="button"
              aria-label={`Retirer la commune ${communeNames[code] ?? code}`}
              onClick={() => onChange({ ...value, communes: value.communes.filter((c) => c !== code) })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
