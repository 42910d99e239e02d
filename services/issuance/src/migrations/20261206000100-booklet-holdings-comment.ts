import type { Migration } from '@pass/db';

/** The custody rule changed in session 2: a booklet handed out whole leaves the distributor's stock. */
export const bookletHoldingsComment: Migration = {
  name: 'issuance/20261206000100_booklet_holdings_comment',
  up: async (knex) => {
    await knex.raw(`
      comment on table issuance.booklet_holdings is
        'Booklets in a distributor''s stock. No row: the booklet is with the funder, or handed out (nothing left in it to hand out). History is in vouchers.events.';
    `);
  },
  down: async (knex) => {
    await knex.raw(`
      comment on table issuance.booklet_holdings is
        'Booklets in a distributor''s stock. No row: the booklet is with the funder. History is in vouchers.events.';
    `);
  },
};
