import { Link } from '../../components/link';
import { Page } from '../../components/page';

/** The public entry: what a beneficiary can do without an account, and the way in for professionals. */
export function HomePage() {
  return (
    <Page title="Pass numérique">
      <p class="intro">
        Le Pass numérique donne accès à des ateliers et à un accompagnement au numérique dans des lieux
        habilités. Chaque pass vaut 10&nbsp;€.
      </p>
      <div class="tiles">
        <Link href="/verifier" class="tile">
          <span class="tile-title">Vérifier un pass</span>
          <span>Savoir si un pass est valable et jusqu’à quand.</span>
        </Link>
        <Link href="/lieux" class="tile">
          <span class="tile-title">Trouver un lieu près de chez moi</span>
          <span>Les lieux habilités qui acceptent le Pass numérique.</span>
        </Link>
        <Link href="/connexion" class="tile">
          <span class="tile-title">Espace professionnel</span>
          <span>Lieux, financeurs, distributeurs, associations, opérateur.</span>
        </Link>
      </div>
    </Page>
  );
}
