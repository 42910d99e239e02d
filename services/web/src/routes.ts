import type { RouteDef } from './lib/route-props';
import { BankDetailsPage } from './pages/association/bank-details-page';
import { PayoutsPage } from './pages/association/payouts-page';
import { AssociationRedemptionsPage } from './pages/association/redemptions-page';
import { StatementsPage } from './pages/association/statements-page';
import { HandOutPage } from './pages/distributor/hand-out-page';
import { ReturnPage } from './pages/distributor/return-page';
import { StockPage } from './pages/distributor/stock-page';
import { DashboardPage } from './pages/funder/dashboard-page';
import { NewOrderPage } from './pages/funder/new-order-page';
import { OrdersPage } from './pages/funder/orders-page';
import { StocksPage } from './pages/funder/stocks-page';
import { LoginPage } from './pages/login-page';
import { AccreditationPage } from './pages/operator/accreditation-page';
import { AuditPage } from './pages/operator/audit-page';
import { BankChangesPage } from './pages/operator/bank-changes-page';
import { BankReturnsPage } from './pages/operator/bank-returns-page';
import { FraudPage } from './pages/operator/fraud-page';
import { LedgerPage } from './pages/operator/ledger-page';
import { OperatorHomePage } from './pages/operator/operator-home-page';
import { SettlementPage } from './pages/operator/settlement-page';
import { VenueImportPage } from './pages/operator/venue-import-page';
import { CheckPassPage } from './pages/public/check-pass-page';
import { HomePage } from './pages/public/home-page';
import { VenuesNearMePage } from './pages/public/venues-near-me-page';
import { BatchDetailPage } from './pages/shared/batch-detail-page';
import { ScannerPage } from './pages/venue/scanner-page';
import { TodayPage } from './pages/venue/today-page';

const VENUE = ['venue_agent'] as const;
const FUNDER = ['funder_manager'] as const;
const DISTRIBUTOR = ['distributor_agent'] as const;
const TREASURER = ['association_treasurer'] as const;
const OPERATOR = ['operator_admin', 'operator_finance'] as const;

/** Every screen of the app; the first match wins. The API checks access again: roles here only shape menus. */
export const routes: RouteDef[] = [
  { path: '/', component: HomePage },
  { path: '/connexion', component: LoginPage },
  { path: '/verifier', component: CheckPassPage },
  { path: '/lieux', component: VenuesNearMePage },

  { path: '/lieu/scanner', roles: VENUE, component: ScannerPage },
  { path: '/lieu/aujourdhui', roles: VENUE, component: TodayPage },

  { path: '/financeur', roles: FUNDER, component: DashboardPage },
  { path: '/financeur/commandes', roles: FUNDER, component: FunderOrdersPage },
  { path: '/financeur/commandes/nouvelle', roles: FUNDER, component: NewOrderPage },
  { path: '/financeur/commandes/:id', roles: FUNDER, component: BatchDetailPage },
  { path: '/financeur/stocks', roles: FUNDER, component: StocksPage },

  { path: '/distributeur', roles: DISTRIBUTOR, component: StockPage },
  { path: '/distributeur/remettre', roles: DISTRIBUTOR, component: HandOutPage },
  { path: '/distributeur/retour', roles: DISTRIBUTOR, component: ReturnPage },

  { path: '/association', roles: TREASURER, component: AssociationRedemptionsPage },
  { path: '/association/releves', roles: TREASURER, component: StatementsPage },
  { path: '/association/virements', roles: TREASURER, component: PayoutsPage },
  { path: '/association/coordonnees-bancaires', roles: TREASURER, component: BankDetailsPage },

  { path: '/operateur', roles: OPERATOR, component: OperatorHomePage },
  { path: '/operateur/commandes', roles: OPERATOR, component: OperatorOrdersPage },
  { path: '/operateur/commandes/:id', roles: OPERATOR, component: BatchDetailPage },
  { path: '/operateur/habilitations', roles: OPERATOR, component: AccreditationPage },
  { path: '/operateur/import-lieux', roles: OPERATOR, component: VenueImportPage },
  { path: '/operateur/coordonnees-bancaires', roles: OPERATOR, component: BankChangesPage },
  { path: '/operateur/reglements', roles: OPERATOR, component: SettlementPage },
  { path: '/operateur/releves-bancaires', roles: OPERATOR, component: BankReturnsPage },
  { path: '/operateur/fraude', roles: OPERATOR, component: FraudPage },
  { path: '/operateur/grand-livre', roles: OPERATOR, component: LedgerPage },
  { path: '/operateur/journal', roles: OPERATOR, component: AuditPage },
];

function FunderOrdersPage() {
  return OrdersPage({});
}

function OperatorOrdersPage() {
  return OrdersPage({ base: '/operateur/commandes', title: 'Commandes des financeurs' });
}
