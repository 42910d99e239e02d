/** Job names of the issuance service (the queue dispatches by name). */
export const ISSUANCE_JOBS = {
  generateVouchers: 'issuance.generate_vouchers',
  renderBooklets: 'issuance.render_booklets',
  resumeGenerations: 'issuance.resume_generations',
} as const;

/** Data of the generation and rendering jobs. */
export interface BatchJobData {
  batchId: string;
}
