import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import { codeFeedback } from '../lib/voucher-input';

/**
 * A voucher code typed by hand, with live feedback from the check symbol: a typo is caught on the device,
 * before any request (typos cost no lookup and do not count as guesses).
 */
export function CodeInput(props: {
  value: string;
  onValue: (value: string) => void;
  label?: string;
  autoFocus?: boolean;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  // The `autofocus` attribute only acts on page load: the field appears after « Saisir le code » is pressed,
  // so focus is moved to it explicitly (keyboard and screen-reader users land where they must type), in the same
  // task as the field appears: a key pressed right after « Saisir le code » lands in the field, not on the button.
  useLayoutEffect(() => {
    if (props.autoFocus) input.current?.focus();
  }, [props.autoFocus]);
  const feedback = codeFeedback(props.value);
  return (
    <div class={`field code-field code-${feedback.state}`}>
      <label for={id}>{props.label ?? 'Code du pass'}</label>
      <input
        id={id}
        class="code-input"
        value={props.value}
        ref={input}
        autoComplete="off"
        autoCapitalize="characters"
        spellcheck={false}
        inputMode="text"
        maxLength={40}
        aria-invalid={feedback.state === 'invalid' ? true : undefined}
        aria-describedby={`${id}-feedback`}
        placeholder="XXXX-XXXX-XXXX-XXXX-X"
        onInput={(event) => props.onValue((event.currentTarget as HTMLInputElement).value)}
      />
      <p id={`${id}-feedback`} class="code-feedback" aria-live="polite">
        {feedback.state === 'valid' ? <span aria-hidden="true">✓ </span> : null}
        {feedback.state === 'invalid' ? <span aria-hidden="true">✗ </span> : null}
        {feedback.message}
        {feedback.display && feedback.state !== 'empty' ? (
          <>
            {' '}
            <span class="code-display">{feedback.display}</span>
          </>
        ) : null}
      </p>
    </div>
  );
}
