/** Town halls, France Services desks, social workers' teams: they hand booklets to beneficiaries. */
export interface Distributor {
  id: string;
  name: string;
  /** The funder it hands booklets out for, when it works for one. */
  funderId: string | null;
  siret: string | null;
  postcode: string | null;
  town: string | null;
  createdAt: Date;
  updatedAt: Date;
}
