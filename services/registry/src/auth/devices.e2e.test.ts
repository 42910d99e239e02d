import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, demoEmail, type TestApp } from '../../../../test/support/app';
import { DEVICE_CACHE_MS, DeviceService } from './device-service';

describe('scanner devices (register, authenticate, revoke)', () => {
  let t: TestApp;
  let agentToken: string;
  let venueId: string;

  before(async () => {
    t = await createTestApp();
    agentToken = await t.login(demoEmail('venue_agent'));
    const me = await request(t.app).get('/api/v1/auth/me').set('Authorization', `Bearer ${agentToken}`);
    venueId = me.body.venueId ?? me.body.user?.venueId;
    expect(venueId, JSON.stringify(me.body)).to.be.a('string');
  });
  after(async () => {
    await t.close();
  });

  async function register(name: string) {
    const res = await request(t.app)
      .post(`/api/v1/venues/${venueId}/devices`)
      .set('Authorization', `Bearer ${agentToken}`)
      .send({ name });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body as { device: { id: string }; token: string };
  }
  const asDevice = (token: string) =>
    request(t.app).get('/api/v1/redemptions').set('Authorization', `Device ${token}`);

  it('authenticates a registered scanner and refuses it right after its revocation', async () => {
    const { device, token } = await register('Tablette accueil');
    expect((await asDevice(token)).status).to.equal(200);
    const revoked = await request(t.app)
      .post(`/api/v1/devices/${device.id}/revoke`)
      .set('Authorization', `Bearer ${agentToken}`);
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
    // Resolved (and cached) a moment ago, but the revoking process evicts it.
    expect((await asDevice(token)).status).to.equal(401);
  });

  it('honours a revocation made elsewhere once the cache delay has passed', async () => {
    const { device, token } = await register('Téléphone itinérant');
    let now = 1_000_000;
    const devices = new DeviceService(t.db.knex, () => now);
    expect((await devices.resolve(token))?.deviceId).to.equal(device.id);
    // Another server process revokes it: this one does not hear of it...
    await t.db.knex('registry.devices').where({ id: device.id }).update({ revoked_at: new Date() });
    now += DEVICE_CACHE_MS - 1;
    expect((await devices.resolve(token))?.deviceId).to.equal(device.id);
    // ...for at most DEVICE_CACHE_MS.
    now += 2;
    expect(await devices.resolve(token)).to.equal(undefined);
  });

  it('refuses an unknown token', async () => {
    expect((await asDevice('not-a-device-token-at-all')).status).to.equal(401);
  });
});
