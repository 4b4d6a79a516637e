/** The terminal chat's sender check: the real check service, answering from the loopback DNS zone. */
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTerminalChat } from '../../../src/adapters/terminal/chat.js';
import { createCheckService } from '../../../src/bot/check-service.js';
import { Bot } from '../../../src/bot/core.js';
import type { ProbeRunner } from '../../../src/bot/probe-port.js';
import { createLogger } from '../../../src/log.js';
import { CHECK_ZONE } from '../../support/check-zone.js';
import { startDns, type RunningDns } from '../../support/dns-server.js';
import { FakeProbe } from '../../support/fake-probe.js';
import { realIndex } from '../../support/kb.js';

const log = createLogger('silent');
let dns: RunningDns;
beforeAll(async () => {
  dns = await startDns(CHECK_ZONE);
});
afterAll(() => dns.close());

async function chat(lines: string, runner: ProbeRunner | undefined): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = '';
  output.setEncoding('utf8').on('data', (d: string) => (out += d));
  input.end(lines);
  await runTerminalChat(new Bot(realIndex()), { input, output, interactive: false }, runner, log);
  return out;
}

describe('terminal chat: sender checks', () => {
  const index = realIndex();
  const fake = new FakeProbe(1, 0);
  const runner = (): ProbeRunner => ({
    run: (...args) => fake.run(...args),
    check: createCheckService(
      {
        allowCidrs: ['198.51.100.0/24'],
        ports: [587],
        extraAllowedPorts: [],
        connectTimeoutMs: 1000,
        greetingTimeoutMs: 1000,
        totalTimeoutMs: 5000,
        ratePerMinute: 5,
        maxConcurrent: 2,
        egress25Blocked: false,
        dnsServers: [dns.server],
      },
      index.kb,
    ),
  });

  it('"example の設定を確認して" runs the check and prints the report', async () => {
    const out = await chat('twospf.test の設定を確認して\n', runner());
    expect(out).toContain('twospf.test の DNS 設定をチェックしています');
    expect(out).toContain('twospf.test に SPF レコードが 2 つあります');
    expect(fake.calls).toHaveLength(0);
    expect(dns.queries).toContain('twospf.test TXT');
  });

  it('"check IP" lists the blocklists it is on', async () => {
    const out = await chat('check 198.51.100.7\n', runner());
    expect(out).toContain('198.51.100.7 is listed on Spamhaus ZEN: SBL (a known spam source)');
  });

  it('says so when checks are not available', async () => {
    expect(await chat('check good.test\n', undefined)).toContain('Sender checks are not available here.');
  });
});
