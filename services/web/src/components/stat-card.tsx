import { formatCount, formatRate } from '../lib/format';

/** One headline figure, with its share of a total when given. */
export function StatCard(props: { label: string; value: number; of?: number; ofLabel?: string }) {
  return (
    <div class="stat">
      <span class="stat-label">{props.label}</span>
      <span class="stat-value">{formatCount(props.value)}</span>
      {props.of !== undefined ? (
        <span class="stat-rate">
          {formatRate(props.value, props.of)} {props.ofLabel ?? ''}
        </span>
      ) : null}
    </div>
  );
}
