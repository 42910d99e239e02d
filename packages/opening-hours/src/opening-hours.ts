import OpeningHours from 'opening_hours';

export type OpeningHoursWarningCode = 'opening_hours_empty' | 'opening_hours_unparseable';
export type OpeningHoursWarning = { code: OpeningHoursWarningCode; message: string };

export type OpeningHoursCheck =
  | {
      ok: true;
      /** The value as opening_hours prints it back: canonical OSM syntax ('Mo-Fr 09:00-12:00'). */
      normalized: string;
      /** True when `normalized` differs from the trimmed input, i.e. the parser corrected something. */
      corrected: boolean;
      /** The parser's remarks (French day names, '9h', missing minutes…), in English. */
      notes: string[];
    }
  | { ok: false; warning: OpeningHoursWarning };

export type OpenState = 'open' | 'closed' | 'unknown';
export type OpenAtResult = { ok: true; state: OpenState } | { ok: false; warning: OpeningHoursWarning };

export const VENUE_TIME_ZONE = 'Europe/Paris';

// The library needs a country to know public holidays ('PH off') and would otherwise throw; it ships the
// holiday tables, so a minimal object for France keeps it offline. Overseas holidays (e.g. 20 December in
// Réunion) are not modelled: metropolitan holidays apply to every venue.
const FRANCE = { lat: 46.6, lon: 2.4, address: { country_code: 'fr', state: '' } };
// mode 0: time ranges (opening hours), not points in time; warnings down to "warning" severity only.
const PARSER_OPTIONS = {
  mode: 0,
  tag_key: 'opening_hours',
  map_value: false,
  warnings_severity: 4,
  locale: 'en',
};

function parse(
  text: string,
): { ok: true; parsed: OpeningHours } | { ok: false; warning: OpeningHoursWarning } {
  const trimmed = text.trim();
  if (trimmed === '')
    return { ok: false, warning: { code: 'opening_hours_empty', message: 'No opening hours given' } };
  try {
    // The library's typings list the options object but not every key it reads.
    return { ok: true, parsed: new OpeningHours(trimmed, FRANCE, PARSER_OPTIONS as never) };
  } catch (error) {
    // The library explains every token it stumbled on; the first lines are enough for a report.
    const detail = String(error instanceof Error ? error.message : error)
      .split('\n')[0]!
      .slice(0, 240);
    return {
      ok: false,
      warning: {
        code: 'opening_hours_unparseable',
        message: `Opening hours are not in OpenStreetMap opening_hours syntax: ${detail}`,
      },
    };
  }
}

/** Validates OpenStreetMap `opening_hours` text offline and returns its canonical form, or a warning. */
export function checkOpeningHours(text: string): OpeningHoursCheck {
  const result = parse(text);
  if (!result.ok) return result;
  const normalized = result.parsed.prettifyValue();
  return {
    ok: true,
    normalized,
    corrected: normalized !== text.trim(),
    notes: result.parsed.getWarnings(),
  };
}

/**
 * The wall-clock time in Europe/Paris at `instant`, as a Date whose *local* fields (getHours, getDay…) hold
 * it. opening_hours reads local fields only, so this makes its answer independent of the process time zone.
 */
export function parisWallClock(instant: Date): Date {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: VENUE_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((part) => part.type === type)?.value);
  return new Date(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
}

/**
 * Whether a venue with these opening hours is open at `instant`, read in Europe/Paris time whatever the
 * server's time zone. 'unknown' when the hours say so (e.g. 'Mo 10:00-12:00 unknown' or a comment-only rule).
 */
export function isOpenAt(text: string, instant: Date): OpenAtResult {
  const result = parse(text);
  if (!result.ok) return result;
  const state = result.parsed.getStateString(parisWallClock(instant), true);
  return { ok: true, state };
}

const CACHE_LIMIT = 1000;
const stateParsers = new Map<string, OpeningHours | null>();

/**
 * `isOpenAt` for hot loops (the fraud scan evaluates the same few venues' hours many times): parsed hours are
 * cached, and anything that cannot tell (no hours, unparseable) is 'unknown'.
 */
export function openStateAt(text: string | null, instant: Date): OpenState {
  if (!text) return 'unknown';
  const key = text.trim();
  let hours = stateParsers.get(key);
  if (hours === undefined) {
    const result = parse(key);
    hours = result.ok ? result.parsed : null;
    if (stateParsers.size >= CACHE_LIMIT) stateParsers.clear();
    stateParsers.set(key, hours);
  }
  if (!hours) return 'unknown';
  return hours.getStateString(parisWallClock(instant), true) as OpenState;
}
