import { useId } from 'preact/hooks';
import { formatCount } from '../lib/format';

export interface Series {
  name: string;
  /** One value per label, in the order of `labels`. */
  values: number[];
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 16, right: 16, bottom: 36, left: 48 };
// Distinguishable for common colour-vision deficiencies (Okabe–Ito), and every series also has its own dash.
const COLOURS = ['#0063cb', '#c2410c', '#047857', '#7e22ce', '#1f2937'];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2'];

/** Lines over time (issued, redeemed… per week or month), with a legend and the figures in a table. */
export function LineChart(props: { title: string; labels: string[]; series: Series[] }) {
  const id = useId();
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const n = props.labels.length;
  const x = (i: number) => PAD.left + (n <= 1 ? innerW / 2 : (i * innerW) / (n - 1));
  const y = (v: number) => PAD.top + innerH - (v / max) * innerH;
  const ticks = [0, Math.round(max / 2), max];
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  return (
    <figure class="chart">
      <figcaption id={`${id}-title`}>{props.title}</figcaption>
      {n === 0 ? (
        <p class="empty">Pas encore de données.</p>
      ) : (
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
          <title>{props.title}</title>
          <desc id={`${id}-desc`}>
            {props.series
              .map(
                (s) =>
                  `${s.name} : ${s.values.map((v, i) => `${props.labels[i]} ${formatCount(v)}`).join(', ')}`,
              )
              .join(' ; ')}
          </desc>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} class="chart-grid" />
              <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" class="chart-label">
                {formatCount(t)}
              </text>
            </g>
          ))}
          {props.labels.map((label, i) =>
            i % labelEvery === 0 ? (
              <text key={label} x={x(i)} y={HEIGHT - 12} text-anchor="middle" class="chart-label">
                {label}
              </text>
            ) : null,
          )}
          {props.series.map((s, si) => (
            <polyline
              key={s.name}
              fill="none"
              stroke={COLOURS[si % COLOURS.length]}
              stroke-width="2.5"
              stroke-dasharray={DASHES[si % DASHES.length] || undefined}
              points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
            />
          ))}
        </svg>
      )}
      <ul class="legend">
        {props.series.map((s, si) => (
          <li key={s.name}>
            <svg width="28" height="10" aria-hidden="true">
              <line
                x1="0"
                x2="28"
                y1="5"
                y2="5"
                stroke={COLOURS[si % COLOURS.length]}
                stroke-width="3"
                stroke-dasharray={DASHES[si % DASHES.length] || undefined}
              />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
      <details>
        <summary>Voir les chiffres</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Période</th>
              {props.series.map((s) => (
                <th key={s.name} scope="col" class="num">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.labels.map((label, i) => (
              <tr key={label}>
                <td>{label}</td>
                {props.series.map((s) => (
                  <td key={s.name} class="num">
                    {formatCount(s.values[i] ?? 0)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
