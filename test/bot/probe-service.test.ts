// The chat's probe path end to end: Bot → ProbeRunner (the real probe service) → real SMTP servers on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot } from '../../src/bot/core.js';
import { createProbeService } from '../../src/bot/probe-service.js';
import type { ProbeConfig } from '../../src/config.js';
import type { Reply } from '../../src/render/model.js';
import { renderText } from '../../src/render/text.js';
import { realIndex } from '../support/kb.js';
import { startSmtp, testCert, type RunningSmtp } from '../support/smtp-servers.js';

const index = realIndex();
const config = (over: Partial<ProbeConfig> = {}): ProbeConfig => ({
  allowCidrs: ['127.0.0.0/8'],
  ports: [587],
  extraAllowedPorts: [],
  connectTimeoutMs: 500,
  greetingTimeoutMs: 500,
  totalTimeoutMs: 3000,
  ratePerMinute: 5,
  maxConcurrent: 2,
  egress25Blocked: false,
  ...over,
});

let server: RunningSmtp;
beforeAll(async () => {
  server = await startSmtp({ cert: await testCert(['127.0.0.1']), auth: { user: 'taro', pass: 'right-pass' } });
});
afterAll(async () => {
  await server.close();
});

describe('probe service', () => {
  it('probes a loopback server asked for in a DM, with progress replies and a final report in the user language', async () => {
    const bot = new Bot(index);
    const out = await bot.handle({ text: `127.0.0.1:${server.port} をテストして`, place: 'direct', addressed: true, userId: 'U1', channelId: 'D1' });
    expect(out.type).toBe('probe');
    if (out.type !== 'probe') return;
    const service = createProbeService(config({ extraAllowedPorts: [server.port] }), index.kb.ui);
    const progress: Reply[] = [];
    const report = await service.run(out.request, (r) => progress.push(r));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((r) => r.kind === 'probe-progress')).toBe(true);
    expect(report.kind).toBe('probe');
    expect(report.lang).toBe('ja');
    expect(renderText(report)).toContain(String(server.port));
  });

  it('uses credentials once and never shows them', async () => {
    const service = createProbeService(config({ extraAllowedPorts: [server.port] }), index.kb.ui, { overrides: { ca: [(await testCert(['127.0.0.1'])).cert] } });
    const progress: Reply[] = [];
    const report = await service.run({ target: `127.0.0.1:${server.port}`, ports: [], lang: 'en', userId: 'U2' }, (r) => progress.push(r), {
      user: 'taro',
      pass: 'wrong-pass-Zq9',
    });
    expect(server.authAttempts).toContain('taro');
    const all = JSON.stringify([report, ...progress]);
    expect(all).not.toContain('wrong-pass-Zq9');
  });

  it('refuses a private address that is not allowed, and a user over the rate limit, sending nothing', async () => {
    const before = server.connections;
    const strict = createProbeService(config({ allowCidrs: [] }), index.kb.ui);
    const refused = await strict.run({ target: `127.0.0.1:587`, ports: [], lang: 'en', userId: 'U3' });
    expect(refused.kind).toBe('error');
    const limited = createProbeService(config({ ratePerMinute: 1, extraAllowedPorts: [server.port] }), index.kb.ui);
    await limited.run({ target: `127.0.0.1:${server.port}`, ports: [], lang: 'en', userId: 'U4' });
    const second = await limited.run({ target: `127.0.0.1:${server.port}`, ports: [], lang: 'ja', userId: 'U4' });
    expect(second.kind).toBe('error');
    expect(renderText(second)).toMatch(/秒/);
    expect(server.connections).toBe(before + 1);
  });
});
