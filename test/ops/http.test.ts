/** /healthz, /readyz and /metrics on a port of their own (METRICS_PORT), and the drain of in-flight work. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opsRoutes, startOpsServer, type OpsServer } from '../../src/ops/http.js';
import { Inflight } from '../../src/ops/inflight.js';
import { Metrics } from '../../src/ops/metrics.js';

let server: OpsServer;
let why: string | undefined = 'starting';
const metrics = new Metrics();
beforeAll(async () => {
  server = await startOpsServer(opsRoutes(metrics, { notReady: async () => why }), 0, '127.0.0.1');
});
afterAll(async () => {
  await server.close();
});

const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

describe('ops routes', () => {
  it('healthz is 200 from the start; readyz says why it is not ready, then 200', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const starting = await get('/readyz');
    expect(starting.status).toBe(503);
    expect(await starting.text()).toBe('not ready: starting\n');
    why = undefined;
    expect((await get('/readyz')).status).toBe(200);
    expect((await get('/nothing-here')).status).toBe(404);
  });

  it('metrics serves Prometheus text with the counters as they move, and no user or channel label', async () => {
    metrics.messagesSeen.inc({ platform: 'discord' });
    metrics.duplicatesDropped.inc({ platform: 'slack' });
    metrics.rateLimited.inc({ platform: 'slack' });
    metrics.probeDuration.observe({ outcome: 'report' }, 1.5);
    const res = await get('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^smtp_doctor_messages_seen_total\{platform="discord"\} 1$/m);
    expect(text).toMatch(/^smtp_doctor_duplicates_dropped_total\{platform="slack"\} 1$/m);
    expect(text).toMatch(/^smtp_doctor_rate_limited_total\{platform="slack"\} 1$/m);
    expect(text).toMatch(/^smtp_doctor_probe_duration_seconds_bucket\{le="2",outcome="report"\} 1$/m);
    expect(text).not.toMatch(/user=|channel=/);
  });
});

describe('Inflight', () => {
  it('waits for running work (and work it starts) up to the limit, and takes no new work after', async () => {
    const inflight = new Inflight();
    const order: string[] = [];
    void inflight.run(async () => {
      await new Promise((r) => setTimeout(r, 50));
      void inflight.run(async () => {
        await new Promise((r) => setTimeout(r, 50));
        order.push('second');
      });
      order.push('first');
    });
    const result = await inflight.drain(5_000);
    expect(result).toMatchObject({ drained: true, left: 0 });
    expect(order).toEqual(['first', 'second']);
    expect(inflight.draining).toBe(true);
  });

  it('gives up at the limit and says how much was left', async () => {
    const inflight = new Inflight();
    void inflight.run(() => new Promise((r) => setTimeout(r, 2_000)));
    const result = await inflight.drain(100);
    expect(result.drained).toBe(false);
    expect(result.left).toBe(1);
    expect(result.ms).toBeLessThan(1_000);
  });
});
