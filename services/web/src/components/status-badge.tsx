import type { Tone } from './notice';

/** A short state label; the colour repeats the text, never replaces it. */
export function StatusBadge(props: { label: string; tone?: Tone }) {
  return <span class={`badge badge-${props.tone ?? 'info'}`}>{props.label}</span>;
}
