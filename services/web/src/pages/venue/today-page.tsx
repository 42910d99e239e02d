import { newIdempotencyKey } from '../../api/api-client';
import { listRedemptions, type Redemption, undoRedemption } from '../../api/redemption-api';
import { DataTable } from '../../components/data-table';
import { Link } from '../../components/link';
import { ErrorNotice, Loading } from '../../components/notice';
import { Page } from '../../components/page';
import { formatMoney, formatTime, parisDate } from '../../lib/format';
import { useAction, useApi, useSession } from '../../lib/use-api';

/** Today's redemptions at the agent's venue, with undo while the window is open. */
export function TodayPage() {
  const session = useSession();
  const venueId = session?.user.venueId ?? undefined;
  const today = parisDate();
  const list = useApi((signal) => listRedemptions({ date: today, limit: 200 }, signal), [venueId, today]);
  const undo = useAction(async (id: string) => {
    await undoRedemption(id, newIdempotencyKey());
    list.reload();
  });
  const live = (list.data?.items ?? []).filter((r) => r.status === 'live');
  const passes = live.reduce((sum, r) => sum + r.passCount, 0);
  return (
    <Page
      title="Validations du jour"
      actions={
        <Link href="/lieu/scanner" class="button primary">
          Valider des pass
        </Link>
      }
    >
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorNotice error={list.error} what="Validations du jour" />
      <ErrorNotice error={undo.error} />
      {list.data ? (
        <p class="summary">
          {live.length} validation{live.length > 1 ? 's' : ''}, {passes} pass aujourd’hui.
        </p>
      ) : null}
      <DataTable<Redemption>
        caption="Validations enregistrées aujourd’hui"
        rows={list.data?.items}
        rowKey={(r) => r.id}
        empty="Aucune validation aujourd’hui."
        columns={[
          { header: 'Heure', cell: (r) => formatTime(r.redeemedAt) },
          { header: 'Service', cell: (r) => r.service.name ?? r.service.category },
          { header: 'Pass', cell: (r) => r.passCount, numeric: true },
          { header: 'N° de pass', cell: (r) => r.serials.join(', ') },
          { header: 'Montant', cell: (r) => formatMoney(r.paid), numeric: true },
          { header: 'État', cell: (r) => (r.status === 'live' ? 'Validée' : 'Annulée') },
          {
            header: 'Action',
            cell: (r) =>
              r.status === 'live' && canUndo(r) ? (
                <button
                  type="button"
                  class="button secondary small"
                  disabled={undo.busy}
                  onClick={() => undo.run(r.id)}
                >
                  Annuler
                </button>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}

function canUndo(r: Redemption): boolean {
  return new Date(r.undoDeadline).getTime() > Date.now();
}
