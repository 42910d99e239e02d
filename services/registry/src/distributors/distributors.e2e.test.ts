import { expect } from 'chai';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { as, createOtherTenants, type OtherTenants } from '../testing/registry-fixtures';

describe('distributors listing (e2e)', () => {
  let t: TestApp;
  let other: OtherTenants;
  const demo = () => t.demo.ids as Record<string, string>;
  const ids = (body: { items: { id: string }[] }) => body.items.map((d) => d.id);

  before(async () => {
    t = await createTestApp();
    other = await createOtherTenants(t);
  });
  after(async () => {
    await t.close();
  });

  it("lists a funder's own distributors to its manager, and none of another funder's", async () => {
    const manager = await as(t, demoEmail('funder_manager'));
    const own = await manager.get('/api/v1/distributors');
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(ids(own.body)).to.deep.equal([demo().distributorId]);
    expect(own.body.items[0].funderId).to.equal(demo().funderId);

    const stranger = await as(t, other.funderManager);
    const none = await stranger.get('/api/v1/distributors');
    expect(none.status).to.equal(200);
    expect(ids(none.body)).to.deep.equal([]);
    expect((await stranger.get(`/api/v1/distributors?funderId=${demo().funderId}`)).status).to.equal(404);
  });

  it('still lists every distributor to operators and only itself to a distributor', async () => {
    const operator = await as(t, demoEmail('operator_admin'));
    const all = ids((await operator.get('/api/v1/distributors')).body);
    expect(all).to.include.members([demo().distributorId, other.distributorId]);
    const agent = await as(t, demoEmail('distributor_agent'));
    expect(ids((await agent.get('/api/v1/distributors')).body)).to.deep.equal([demo().distributorId]);
  });
});
