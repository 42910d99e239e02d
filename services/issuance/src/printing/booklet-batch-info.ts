import { Money } from '@pass/money';
import { findCommune, findDepartement } from '@pass/territory';
import { type Batch, type BatchTerritory, batchReference } from '@pass/vouchers';
import type { BookletBatchInfo } from '../booklets';

const COMMUNES_SHOWN = 6;

/** The territory in words for the booklet cover: "Ardèche (07), Drôme (26)", "Privas, Aubenas"... */
export function territoryLabel(territory: BatchTerritory): string {
  const parts = territory.departements.map((code) => {
    const departement = findDepartement(code);
    return departement ? `${departement.name} (${code})` : code;
  });
  const communes = territory.communes.map((code) => findCommune(code)?.name ?? code);
  parts.push(...communes.slice(0, COMMUNES_SHOWN));
  if (communes.length > COMMUNES_SHOWN) parts.push(`et ${communes.length - COMMUNES_SHOWN} autres communes`);
  return parts.length === 0 ? 'Toute la France' : parts.join(', ');
}

/** What the renderer prints about a batch. */
export function bookletBatchInfo(
  batch: Batch,
  order: { wording: string },
  funderName: string,
  publicUrl: string,
): BookletBatchInfo {
  return {
    funderName,
    wording: order.wording,
    faceValue: Money.fromCents(batch.faceValueCents).toString(),
    validFrom: batch.validFrom,
    validUntil: batch.validUntil,
    territoryLabel: territoryLabel(batch.territory),
    venuesUrl: `${publicUrl.replace(/\/$/, '')}/lieux`,
    batchReference: batchReference(batch.number),
  };
}
