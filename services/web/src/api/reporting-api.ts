import { api } from './client';

// The funder dashboard's breakdowns, served by the redemption service (GET /funders/:id/dashboard): the contract below is what
// the screen expects, and until a route answers, the screen says « bientôt disponible ».

export interface FunderDashboard {
  byVenue: { label: string; redeemed: number }[];
  byCommune: { label: string; redeemed: number }[];
  byService: { label: string; redeemed: number }[];
  /** One row per month (YYYY-MM), oldest first. */
  overTime: { period: string; distributed: number; redeemed: number; expired: number }[];
}

export const getFunderDashboard = (funderId: string, signal?: AbortSignal) =>
  api.get<FunderDashboard>(`/funders/${encodeURIComponent(funderId)}/dashboard`, undefined, signal);
