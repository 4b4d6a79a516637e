/**
 * The chat's sender-check path: which messages ask for a check (and which stay probes), the button under a
 * diagnosis, and Bot → check service → real DNS answers from the loopback zone, in the user's language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckService } from '../../src/bot/check-service.js';
import { Bot, type CheckRequest } from '../../src/bot/core.js';
import type { ProbeConfig } from '../../src/config.js';
import { renderText } from '../../src/render/text.js';
import { CHECK_ZONE } from '../support/check-zone.js';
import { startDns, type RunningDns } from '../support/dns-server.js';
import { realIndex } from '../support/kb.js';

const index = realIndex();
let dns: RunningDns;
beforeAll(async () => {
  dns = await startDns(CHECK_ZONE);
});
afterAll(() => dns.close());

const config = (over: Partial<ProbeConfig> = {}): ProbeConfig => ({
  allowCidrs: ['192.0.2.0/24', '198.51.100.0/24'],
  ports: [587],
  extraAllowedPorts: [],
  connectTimeoutMs: 1000,
  greetingTimeoutMs: 1000,
  totalTimeoutMs: 5000,
  ratePerMinute: 5,
  maxConcurrent: 2,
  egress25Blocked: false,
  dnsServers: [dns.server],
  ...over,
});

const ask = (text: string, bot = new Bot(index)) => bot.handle({ text, place: 'direct', addressed: true, userId: 'U1', channelId: 'D1' });

describe('what asks for a sender check', () => {
  it.each([
    ['check example.jp', 'example.jp'],
    ['example.jp の設定を確認して', 'example.jp'],
    ['taro@example.jp の SPF を見て', 'taro@example.jp'],
    ['192.0.2.25 がブラックリストに載っていないかチェックして', '192.0.2.25'],
    ['check the dmarc of shop.example.com', 'shop.example.com'],
  ])('%s → check %s', async (text, target) => {
    const out = await ask(text);
    expect(out).toMatchObject({ type: 'check', request: { target, userId: 'U1' } });
  });

  it.each(['check smtp.example.jp', 'smtp.example.jp をチェックして', 'test example.jp', 'check example.jp:587', 'probe 192.0.2.25'])('%s stays a probe', async (text) => {
    expect((await ask(text)).type).toBe('probe');
  });

  it('asks in the language of the message', async () => {
    expect(await ask('example.jp の設定を確認して')).toMatchObject({ request: { lang: 'ja' } });
    expect(await ask('check example.jp')).toMatchObject({ request: { lang: 'en' } });
  });
});

describe('the button under a diagnosis', () => {
  const buttons = async (text: string) => {
    const out = await new Bot(index).handle({ text, place: 'channel', addressed: false, userId: 'U1', channelId: 'C1' });
    if (out.type !== 'reply') throw new Error(`no reply for ${text}`);
    return out.reply.actions.filter((a) => a.id === 'run-check');
  };

  it('sender-authentication: the sending domain from the bounce', async () => {
    expect(await buttons("550 5.7.515 Access denied, sending domain EXAMPLE.CO.JP doesn't meet the required authentication level.")).toEqual([
      expect.objectContaining({ value: 'example.co.jp', label: "Check the sender's DNS" }),
    ]);
    // Gmail's own name in the text is not the sender.
    expect((await buttons('550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. DKIM = did not pass SPF [shop.example] with ip: [203.0.113.5] = did not pass'))[0]?.value).toBe('shop.example');
  });

  it('ip-reputation: the IP from the bounce, not the blocklist’s name', async () => {
    expect((await buttons('554 5.7.1 Service unavailable; Client host [203.0.113.45] blocked using zen.spamhaus.org'))[0]?.value).toBe('203.0.113.45');
  });

  it('no check button for other diagnoses', async () => {
    expect(await buttons('554 5.7.1 <bob@example.com>: Relay access denied')).toEqual([]);
  });
});

describe('check service', () => {
  it('checks a domain asked for in Japanese and answers with the findings and the fix, in Japanese', async () => {
    const out = await ask('nospf.test の設定を確認して');
    expect(out.type).toBe('check');
    if (out.type !== 'check') return;
    const before = dns.queries.length;
    const reply = await createCheckService(config(), index.kb)(out.request);
    expect(reply.kind).toBe('check');
    expect(reply.lang).toBe('ja');
    expect(reply.severity).toBe('error');
    const text = renderText(reply);
    expect(text).toContain('nospf.test に SPF レコード（v=spf1 …）がありません');
    expect(text).toContain('## 直し方: SPF／DKIM の認証に失敗したため拒否されました');
    expect(dns.queries.slice(before)).toContain('nospf.test TXT');
  });

  it('takes the DKIM selector from a pasted DKIM-Signature header', async () => {
    const request: CheckRequest = {
      target: 'good.test',
      lang: 'en',
      userId: 'U2',
      text: 'check good.test\nDKIM-Signature: v=1; a=rsa-sha256; d=good.test; s=s2025;\n\tbh=x; b=y',
    };
    const reply = await createCheckService(config(), index.kb)(request);
    expect(renderText(reply)).toContain('No DKIM public key is published for the header\'s selector s2025');
    expect(dns.queries).toContain('s2025._domainkey.good.test TXT');
  });

  it('a DKIM-Signature header pasted in the chat gives its selector to the check, with or without words around it', async () => {
    const header = 'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=good.test; s=s2026;\n\th=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n\tb=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR';
    for (const text of [`check good.test\n${header}`, `${header}\ngood.test の DKIM を確認して`, header]) {
      const out = await ask(text);
      expect(out, text).toMatchObject({ type: 'check', request: { target: 'good.test' } });
      if (out.type !== 'check') continue;
      const before = dns.queries.length;
      const reply = await createCheckService(config(), index.kb)({ ...out.request, userId: `U-dkim-${before}` });
      const asked = dns.queries.slice(before);
      expect(asked).toContain('s2026._domainkey.good.test TXT');
      // The header's selector, not the common ones: google has a key at good.test and would hide the missing one.
      expect(asked).not.toContain('google._domainkey.good.test TXT');
      expect(renderText(reply)).toMatch(/s2026/);
    }
  });

  it('an internal name is refused in words the user understands', async () => {
    const reply = await createCheckService(config(), index.kb)({ target: 'intranet.corp', lang: 'ja', userId: 'U4' });
    expect(reply).toMatchObject({ kind: 'error', title: 'このチェックは実行できません' });
    expect(reply.summary).toContain('intranet.corp はインターネットの DNS にない名前');
  });

  it('a healthy IP: no problem found; a private one: refused; then the rate limit', async () => {
    // A refused target costs nothing, so with one check a minute the third request is the one over the limit.
    const service = createCheckService(config({ ratePerMinute: 1 }), index.kb);
    const ok = await service({ target: '192.0.2.25', lang: 'en', userId: 'U3' });
    expect(ok).toMatchObject({ kind: 'check', severity: 'ok', summary: 'No problems found in the DNS setup.' });
    const refused = await service({ target: '10.0.0.1', lang: 'en', userId: 'U3' });
    expect(refused).toMatchObject({ kind: 'error', title: 'This check cannot be run' });
    expect(refused.summary).toContain('10.0.0.1 is a private network address');
    const limited = await service({ target: 'good.test', lang: 'ja', userId: 'U3' });
    expect(limited.summary).toContain('上限に達しました');
  });
});
