import { useState } from 'preact/hooks';
import { api } from '../api/client';
import { TextField } from '../components/field';
import { ErrorNotice } from '../components/notice';
import { Page } from '../components/page';
import type { RouteProps } from '../lib/route-props';
import { navigate } from '../lib/router';
import { canOpen, homeOf } from '../lib/roles';
import { useAction } from '../lib/use-api';

/** E-mail and password; then the role's home, or the page the person was sent away from. */
export function LoginPage({ search }: RouteProps) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { run, busy, error } = useAction(async () => {
    const tokens = await api.login(email.trim(), password);
    const back = search.get('retour');
    const role = tokens.user.role;
    navigate(back?.startsWith('/') && canOpen(role, back) ? back : homeOf(role), { replace: true });
  });
  return (
    <Page title="Se connecter">
      <form
        class="card narrow"
        onSubmit={(event) => {
          event.preventDefault();
          run();
        }}
      >
        <TextField
          label="Adresse électronique"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onValue={setEmail}
        />
        <TextField
          label="Mot de passe"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
        />
        <ErrorNotice error={error} />
        <button type="submit" class="button primary block" disabled={busy} aria-busy={busy}>
          {busy ? 'Connexion…' : 'Se connecter'}
        </button>
      </form>
      <p class="hint">
        Vous avez un pass et voulez savoir s’il est valable ? <a href="/verifier">Vérifier un pass</a> sans
        compte.
      </p>
    </Page>
  );
}
