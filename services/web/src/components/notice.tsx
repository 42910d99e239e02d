import type { ComponentChildren } from 'preact';
import type { ApiError } from '../api/problem';

export type Tone = 'info' | 'success' | 'warning' | 'error';

/** A message box; errors are announced at once (role=alert), the rest politely (role=status). */
export function Notice(props: { tone?: Tone; title?: string; children?: ComponentChildren }) {
  const tone = props.tone ?? 'info';
  return (
    <div class={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {props.title ? <p class="notice-title">{props.title}</p> : null}
      {props.children}
    </div>
  );
}

/** The French message of a failed API call; a route the server does not have yet says « bientôt disponible ». */
export function ErrorNotice(props: { error: ApiError | undefined; what?: string }) {
  if (!props.error) return null;
  if (props.error.notAvailableYet) {
    return (
      <Notice tone="info" title="Bientôt disponible">
        <p>
          {props.what ? `${props.what} : cette fonction` : 'Cette fonction'} n’est pas encore proposée par le
          serveur. Elle sera bientôt disponible.
        </p>
      </Notice>
    );
  }
  return (
    <Notice tone="error">
      <p>{props.error.message}</p>
    </Notice>
  );
}

/** A polite loading line. */
export function Loading(props: { label?: string }) {
  return (
    <p class="loading" role="status">
      {props.label ?? 'Chargement…'}
    </p>
  );
}
