/**
 * Sender checks in Discord: `/check`, the button under a diagnosis and a DM asking for one, through the real
 * discord.js Client and the loopback stand-in, with the real check service answering from the loopback DNS zone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { createCheckService } from '../../../src/bot/check-service.js';
import { CHECK_ZONE } from '../../support/check-zone.js';
import { IDS } from '../../support/discord-standin.js';
import { sleep, startHarness, type Harness } from '../../support/discord-harness.js';
import { startDns, type RunningDns } from '../../support/dns-server.js';
import { FakeProbe } from '../../support/fake-probe.js';
import { realIndex } from '../../support/kb.js';

interface Body {
  content?: string;
  embeds?: APIEmbed[];
}

let h: Harness;
let dns: RunningDns;
const probe = new FakeProbe(1, 0);

beforeAll(async () => {
  dns = await startDns(CHECK_ZONE);
  const check = createCheckService(
    {
      allowCidrs: ['192.0.2.0/24', '198.51.100.0/24'],
      ports: [587],
      extraAllowedPorts: [],
      connectTimeoutMs: 1000,
      greetingTimeoutMs: 1000,
      totalTimeoutMs: 5000,
      ratePerMinute: 50,
      maxConcurrent: 4,
      egress25Blocked: false,
      dnsServers: [dns.server],
    },
    realIndex().kb,
  );
  h = await startHarness({ probe: { run: (...args) => probe.run(...args), check } });
});
afterAll(async () => {
  await h?.stop();
  await dns?.close();
});

/** Waits for a PATCH whose body matches: the "checking…" message or the deferred reply, edited with the report. */
async function editMatching(path: RegExp, match: RegExp): Promise<Body> {
  const until = Date.now() + 5000;
  while (Date.now() < until) {
    const found = h.standin.find('PATCH', path).find((c) => match.test(c.raw));
    if (found) return found.body as Body;
    await sleep(10);
  }
  throw new Error(`no edit matching ${match}:\n${h.logs.join('')}`);
}

describe('Discord sender checks', () => {
  test('/check DOMAIN defers, then edits the reply with the report', async () => {
    const i = h.standin.slashCommand('check', [{ name: 'target', type: 'string', value: 'nodmarc.test' }]);
    const edit = await editMatching(new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`), /Sender check for nodmarc\.test/);
    expect(JSON.stringify(edit.embeds)).toContain('nodmarc.test has no DMARC record');
    expect(probe.calls).toHaveLength(0);
    expect(dns.queries).toContain('_dmarc.nodmarc.test TXT');
  });

  test('/check with a pasted header checks its DKIM selector', async () => {
    const i = h.standin.slashCommand('check', [
      { name: 'target', type: 'string', value: 'good.test' },
      { name: 'header', type: 'string', value: 'DKIM-Signature: v=1; a=rsa-sha256; d=good.test; s=disc2025; bh=x; b=y' },
    ]);
    const edit = await editMatching(new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`), /disc2025/);
    expect(JSON.stringify(edit.embeds)).toContain('selector disc2025');
    expect(dns.queries).toContain('disc2025._domainkey.good.test TXT');
  });

  test('the check button checks the IP from the diagnosis, in a Japanese reply', async () => {
    const i = h.standin.pressButton('sd:run-check:ja:192.0.2.30');
    const edit = await editMatching(new RegExp(`/webhooks/\\d+/${i.token}/messages/@original$`), /192\.0\.2\.30/);
    expect(JSON.stringify(edit.embeds)).toContain('逆引き（PTR レコード）がありません');
  });

  test('"check DOMAIN" in a DM: "checking…" first, then that message becomes the report', async () => {
    h.standin.sendMessage('check good.test', { channelId: IDS.dm });
    const edit = await editMatching(new RegExp(`/channels/${IDS.dm}/messages/\\d+$`), /Sender check for good\.test/);
    expect(JSON.stringify(edit.embeds)).toContain('No problems found in the DNS setup.');
    const first = h.standin.find('POST', new RegExp(`/channels/${IDS.dm}/messages$`)).map((c) => (c.body as Body).content ?? '');
    expect(first.some((c) => c.includes('Checking the DNS setup of good.test'))).toBe(true);
  });
});
