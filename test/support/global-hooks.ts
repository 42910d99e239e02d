import { dropTestDatabases } from '@pass/db/testing';

/** Root hooks shared by every mocha run: test databases created by this process are dropped at the end. */
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await dropTestDatabases();
  },
};
