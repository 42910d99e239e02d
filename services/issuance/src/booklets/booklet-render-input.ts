/** What a booklet PDF prints about its batch; strings are shown as given except dates and amounts. */
export type BookletBatchInfo = {
  funderName: string;
  /** The funder's printed wording for the cover (free text, may hold line breaks). */
  wording: string;
  /** Face value of one pass as a decimal string, "10.00". */
  faceValue: string;
  /** ISO calendar dates "YYYY-MM-DD", printed dd/mm/yyyy. */
  validFrom: string;
  validUntil: string;
  territoryLabel: string;
  venuesUrl: string;
  batchReference: string;
};

/** One pass as printed: `payload` goes into the QR code, `displayCode` is the code a person types. */
export type BookletPass = {
  serial: string;
  displayCode: string;
  payload: string;
};

/** One booklet (carnet) and its passes in print order. */
export type BookletToRender = {
  number: number;
  passes: readonly BookletPass[];
};

/** The batch and its booklets, streamed so a whole batch never has to sit in memory. */
export type BookletRenderInput = {
  batch: BookletBatchInfo;
  booklets: AsyncIterable<BookletToRender> | Iterable<BookletToRender>;
};
