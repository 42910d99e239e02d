import { Link } from '../../components/link';
import { Page } from '../../components/page';
import { NAVIGATION } from '../../lib/roles';
import { useSession } from '../../lib/use-api';

/** The back office's entry: one tile per task. */
export function OperatorHomePage() {
  const session = useSession();
  const items = session ? NAVIGATION[session.user.role].slice(1) : [];
  return (
    <Page title="Back office de l’opérateur">
      <div class="tiles">
        {items.map((item) => (
          <Link key={item.href} href={item.href} class="tile">
            <span class="tile-title">{item.label}</span>
          </Link>
        ))}
      </div>
    </Page>
  );
}
