/** A money amount as the API sends it: a decimal string, never a JS number. */
export interface Money {
  amount: string;
  currency: string;
}

/**
 * "1234.50" EUR -> "1 234,50 €" by string manipulation only, so no amount ever passes through a float.
 * Thousands are separated by a narrow no-break space, as French typography (and Intl) does.
 */
export function formatMoney(money: Money | string | null | undefined): string {
  if (money === null || money === undefined) return '—';
  const { amount, currency } = typeof money === 'string' ? { amount: money, currency: 'EUR' } : money;
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) return `${amount} ${currency}`;
  const [, sign, whole, fraction = ''] = match;
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  const cents = fraction.padEnd(2, '0');
  const symbol = currency === 'EUR' ? '€' : currency;
  return `${sign ? '−' : ''}${grouped},${cents}\u00a0${symbol}`;
}

/** Integer cents (string or bigint) to a decimal string "12.30". */
export function centsToAmount(cents: string | bigint): string {
  const value = BigInt(cents);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 100n;
  const rest = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${rest}`;
}

/** A whole count with French thousands separators. */
export function formatCount(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat('fr-FR').format(Number(value));
}

/** part / total as a French percentage with one decimal ("12,5 %"), or "—" when total is zero. */
export function formatRate(part: number, total: number): string {
  if (!total) return '—';
  return `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format((part * 100) / total)}\u00a0%`;
}

const DATE = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium', timeZone: 'Europe/Paris' });
const DATE_TIME = new Intl.DateTimeFormat('fr-FR', {
  dateStyle: 'short',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});
const TIME = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short', timeZone: 'Europe/Paris' });

function toDate(value: string | Date | null | undefined): Date | undefined {
  if (!value) return undefined;
  const date =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? new Date(`${value}T12:00:00Z`)
      : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** "12 déc. 2026" (Europe/Paris). Plain dates ("2026-12-31") are shown as that calendar day. */
export function formatDate(value: string | Date | null | undefined): string {
  const date = toDate(value);
  return date ? DATE.format(date) : '—';
}

/** "12/12/2026 14:05" (Europe/Paris). */
export function formatDateTime(value: string | Date | null | undefined): string {
  const date = toDate(value);
  return date ? DATE_TIME.format(date) : '—';
}

/** "14:05" (Europe/Paris). */
export function formatTime(value: string | Date | null | undefined): string {
  const date = toDate(value);
  return date ? TIME.format(date) : '—';
}

/** Today's date as YYYY-MM-DD in Paris, for date inputs and "today" filters. */
export function parisDate(date: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(date);
}

/** Minutes and seconds left, "4 min 05 s", for undo windows and progress estimates. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0 s';
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  return `${seconds} s`;
}

/** A rate as the API sends it ("0.04", "0.200000") as a French percentage ("4 %", "20 %", "2,5 %"), without floats. */
export function formatPercent(rate: string): string {
  const match = /^(\d+)(?:\.(\d*))?$/.exec(rate.trim());
  if (!match) return rate;
  const [, whole, fraction = ''] = match;
  const padded = fraction.padEnd(2, '0');
  const percentWhole = (whole! + padded.slice(0, 2)).replace(/^0+(?=\d)/, '');
  const percentFraction = padded.slice(2).replace(/0+$/, '');
  return `${percentWhole}${percentFraction ? `,${percentFraction}` : ''}\u00a0%`;
}
