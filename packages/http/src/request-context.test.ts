import { createLogger } from '@pass/logger';
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { requestIdOf, requestLogging } from './request-context';

/** An app with request logging whose log lines are kept, parsed. */
function loggedApp() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const app = express();
  app.use(requestLogging(logger));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.post('/things', express.json(), (req, res) => {
    logger.info({ body: req.body, token: 'tok-secret' }, 'handler line');
    res.status(201).json({ id: requestIdOf(req) });
  });
  app.get('/broken', () => {
    throw new Error('boom');
  });
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ code: 'internal' });
  });
  return { app, lines };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('request logging', () => {
  it('writes one access line per request: id, method, URL, status and time, never headers or bodies', async () => {
    const { app, lines } = loggedApp();
    const res = await request(app)
      .post('/things?page=2')
      .set('authorization', 'Bearer abc.def')
      .set('x-request-id', 'req-12345678')
      .send({ codes: ['PN1.SECRET'] })
      .expect(201);
    await settle();
    expect(res.headers['x-request-id']).to.equal('req-12345678');
    expect(res.body).to.deep.equal({ id: 'req-12345678' });
    const access = lines.find((line) => line.msg === 'request completed');
    expect(access).to.include({ level: 30 });
    expect(access!.req).to.deep.equal({ id: 'req-12345678', method: 'POST', url: '/things?page=2' });
    expect(access!.res).to.deep.equal({ statusCode: 201 });
    expect(access!.responseTime).to.be.a('number');
    const written = JSON.stringify(lines);
    expect(written).not.to.contain('abc.def');
    expect(written).not.to.contain('PN1.SECRET');
  });

  it('still redacts secrets in the other lines of the same logger', async () => {
    const { app, lines } = loggedApp();
    await request(app)
      .post('/things')
      .send({ codes: ['PN1.SECRET'] })
      .expect(201);
    await settle();
    const handler = lines.find((line) => line.msg === 'handler line');
    expect(handler).to.deep.include({ token: '[redacted]', body: { codes: '[redacted]' } });
  });

  it('makes up a request id when the caller sends none or an unsafe one, and skips health probes', async () => {
    const { app, lines } = loggedApp();
    const res = await request(app).get('/healthz').set('x-request-id', 'bad id <script>').expect(200);
    await settle();
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(lines).to.have.length(0);
  });

  it('logs a 5xx answer at error level', async () => {
    const { app, lines } = loggedApp();
    await request(app).get('/broken').expect(500);
    await settle();
    const access = lines.find((line) => line.msg === 'request errored');
    expect(access).to.include({ level: 50 });
    expect(access!.res).to.deep.equal({ statusCode: 500 });
  });
});
