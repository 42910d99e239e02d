import { useEffect } from 'preact/hooks';
import { api } from './api/client';
import { Link } from './components/link';
import { matchPath, navigate, useLocation } from './lib/router';
import { canOpen, homeOf, NAVIGATION, ROLE_LABELS } from './lib/roles';
import { useSession } from './lib/use-api';
import type { RouteDef } from './lib/route-props';
import { routes } from './routes';

/** The shell: skip link, header with the role's menu, the current screen, footer. */
export function App() {
  const location = useLocation();
  const session = useSession();
  const match = findRoute(location.path);
  const role = session?.user.role;

  const mustLogin = match?.route.roles && !session;
  const wrongArea =
    match?.route.roles && role && (!match.route.roles.includes(role) || !canOpen(role, location.path));
  useEffect(() => {
    if (mustLogin) navigate(`/connexion?retour=${encodeURIComponent(location.path)}`, { replace: true });
    else if (wrongArea && role) navigate(homeOf(role), { replace: true });
  }, [mustLogin, wrongArea, role, location.path]);

  const Screen = match && !mustLogin && !wrongArea ? match.route.component : undefined;
  return (
    <>
      <a class="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header class="site-header">
        <div class="site-header-inner">
          <Link href={role ? homeOf(role) : '/'} class="brand">
            <span aria-hidden="true" class="brand-mark">
              ✓
            </span>{' '}
            Pass numérique
          </Link>
          {session ? (
            <div class="who">
              <span>
                {session.user.displayName} · <span class="who-org">{session.user.organisation.name}</span> ·{' '}
                {ROLE_LABELS[session.user.role]}
              </span>
              <button
                type="button"
                class="button link-button"
                onClick={async () => {
                  await api.logout();
                  navigate('/connexion');
                }}
              >
                Se déconnecter
              </button>
            </div>
          ) : (
            <Link href="/connexion" class="button secondary small">
              Se connecter
            </Link>
          )}
        </div>
        {session ? (
          <nav aria-label="Menu principal" class="main-nav">
            <ul>
              {NAVIGATION[session.user.role].map((item) => (
                <li key={item.href}>
                  <Link href={item.href} current={location.path === item.href}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <main id="contenu" tabIndex={-1}>
        {Screen && match ? (
          <Screen params={match.params} search={location.search} />
        ) : match ? null : (
          <NotFound />
        )}
      </main>
      <footer class="site-footer">
        <p>
          Pass numérique — chambre de compensation ouverte. <Link href="/verifier">Vérifier un pass</Link> ·{' '}
          <Link href="/lieux">Trouver un lieu</Link> · <a href="/api/docs">Documentation de l’API</a>
        </p>
      </footer>
    </>
  );
}

function findRoute(path: string): { route: RouteDef; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}

function NotFound() {
  return (
    <section class="page">
      <h1>Page introuvable</h1>
      <p>
        Cette adresse ne correspond à aucune page. <Link href="/">Revenir à l’accueil</Link>.
      </p>
    </section>
  );
}
