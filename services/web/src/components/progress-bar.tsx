/** A labelled progress bar (native <progress>, announced by screen readers). */
export function ProgressBar(props: { label: string; value: number; max: number; detail?: string }) {
  const percent = props.max > 0 ? Math.floor((props.value * 100) / props.max) : 0;
  return (
    <div class="field">
      <p>
        {props.label} : {percent} %{props.detail ? ` — ${props.detail}` : ''}
      </p>
      <progress class="progress" value={props.value} max={props.max || 1} aria-label={props.label}>
        {percent} %
      </progress>
    </div>
  );
}
