import type { ComponentChildren } from 'preact';
import { api } from '../api/client';
import type { Query } from '../api/api-client';
import { saveFile } from '../lib/save-file';
import { useAction } from '../lib/use-api';
import { ErrorNotice } from './notice';

/** Downloads a protected file (the token goes in a header, so a plain link cannot fetch it). */
export function DownloadButton(props: {
  path: string;
  fileName: string;
  query?: Query;
  children: ComponentChildren;
  class?: string;
}) {
  const { run, busy, error } = useAction(async () =>
    saveFile(await api.download(props.path, props.fileName, props.query)),
  );
  return (
    <span class="download">
      <button
        type="button"
        class={props.class ?? 'button secondary'}
        onClick={() => run()}
        disabled={busy}
        aria-busy={busy}
      >
        {busy ? 'Téléchargement…' : props.children}
      </button>
      <ErrorNotice error={error} what="Téléchargement" />
    </span>
  );
}
