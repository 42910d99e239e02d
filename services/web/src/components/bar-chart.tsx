import { useId } from 'preact/hooks';
import { formatCount } from '../lib/format';

export interface BarDatum {
  label: string;
  value: number;
}

const ROW_HEIGHT = 28;
const LABEL_WIDTH = 220;
const VALUE_WIDTH = 64;
const WIDTH = 640;

/**
 * Horizontal bars (counts by venue, commune, service): an SVG described for screen readers, with the same
 * figures in a table under a disclosure, so the chart is never the only way to read them.
 */
export function BarChart(props: { title: string; data: BarDatum[]; unit?: string }) {
  const id = useId();
  const max = Math.max(1, ...props.data.map((d) => d.value));
  const height = Math.max(1, props.data.length) * ROW_HEIGHT + 8;
  const barSpace = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  return (
    <figure class="chart">
      <figcaption id={`${id}-title`}>{props.title}</figcaption>
      {props.data.length === 0 ? (
        <p class="empty">Pas encore de données.</p>
      ) : (
        <svg
          viewBox={`0 0 ${WIDTH} ${height}`}
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
          preserveAspectRatio="xMinYMin meet"
        >
          <title>{props.title}</title>
          <desc id={`${id}-desc`}>
            {props.data.map((d) => `${d.label} : ${formatCount(d.value)}`).join(' ; ')}
          </desc>
          {props.data.map((d, index) => {
            const y = index * ROW_HEIGHT + 4;
            const width = Math.max(d.value > 0 ? 2 : 0, (d.value / max) * barSpace);
            return (
              <g key={d.label}>
                <text x={LABEL_WIDTH - 8} y={y + ROW_HEIGHT / 2 + 4} text-anchor="end" class="chart-label">
                  {truncate(d.label, 28)}
                </text>
                <rect
                  x={LABEL_WIDTH}
                  y={y + 4}
                  width={width}
                  height={ROW_HEIGHT - 10}
                  class="chart-bar"
                  rx="2"
                />
                <text x={LABEL_WIDTH + width + 6} y={y + ROW_HEIGHT / 2 + 4} class="chart-value">
                  {formatCount(d.value)}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      <details>
        <summary>Voir les chiffres</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Libellé</th>
              <th scope="col" class="num">
                {props.unit ?? 'Nombre'}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.data.map((d) => (
              <tr key={d.label}>
                <td>{d.label}</td>
                <td class="num">{formatCount(d.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
