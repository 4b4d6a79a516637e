/**
 * A server's words shown as typed on every platform: a greeting written as a masked link, markdown, Slack link
 * syntax or a terminal escape sequence, from a real hostile server on loopback, through the probe's reply builder
 * and each renderer.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbe } from '../../src/probe/index.js';
import { probeReply } from '../../src/probe/reply.js';
import type { ProbeReport } from '../../src/probe/types.js';
import { loadProbeUi } from '../../src/probe/ui.js';
import { escapeDiscord, renderDiscord } from '../../src/render/discord.js';
import { renderSlack } from '../../src/render/slack.js';
import { renderText } from '../../src/render/text.js';
import { realIndex } from '../support/kb.js';

const PHISH = '554 [Your mailbox is locked - verify here](https://phish.example/login) **now** ||hidden|| <https://phish.example|click> <!channel> \u001b]8;;https://phish.example\u0007link\u001b]8;;\u0007';
const ui = realIndex().kb.ui;
let server: net.Server;
let port: number;

beforeAll(async () => {
  server = net.createServer((s) => {
    s.on('error', () => undefined);
    s.end(`${PHISH}\r\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function report(): Promise<ProbeReport> {
  const outcome = await runProbe('127.0.0.1', {
    ports: [port],
    extraAllowedPorts: [port],
    allowCidrs: ['127.0.0.0/8'],
    timeouts: { connectMs: 500, greetingMs: 1000, commandMs: 500, totalMs: 3000 },
    ui: loadProbeUi(),
  });
  if (!outcome.ok) throw new Error(outcome.refusal.reason);
  return outcome.report;
}

/** A masked link Discord would render: [text](url) with neither bracket escaped. */
const MASKED_LINK = /(?<!\\)\[[^\]]*(?<!\\)\]\((?!%)/;

describe("a server's greeting written as markup", () => {
  it('reaches the report without control characters', async () => {
    const r = await report();
    const banner = r.ports[0]?.banner ?? '';
    expect(banner).toContain('Your mailbox is locked');
    expect(banner).not.toMatch(/[\u0000-\u001f\u007f]/);
  });

  it('Discord: no masked link, bold, spoiler or mention forms in the embed', async () => {
    const r = await report();
    for (const lang of ['en', 'ja'] as const) {
      const json = JSON.stringify(renderDiscord(probeReply(r, lang, ui), ui));
      const embed = renderDiscord(probeReply(r, lang, ui), ui).embeds[0];
      const shown = [embed?.description ?? '', ...(embed?.fields ?? []).map((f) => f.value)].join('\n');
      expect(shown).toContain('Your mailbox is locked');
      expect(shown).not.toMatch(MASKED_LINK);
      expect(shown).not.toMatch(/(?<!\\)\*\*now(?<!\\)\*\*/);
      expect(shown).not.toMatch(/(?<!\\)\|\|hidden/);
      expect(json).not.toContain('\\u001b');
    }
  });

  it('Slack: no link, mention or channel ping forms in the blocks', async () => {
    const r = await report();
    const json = JSON.stringify(renderSlack(probeReply(r, 'en', ui), ui));
    expect(json).toContain('Your mailbox is locked');
    expect(json).not.toContain('<https://phish.example|click>');
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('terminal: no escape sequence reaches the screen', async () => {
    const r = await report();
    const text = renderText(probeReply(r, 'en', ui));
    expect(text).toContain('Your mailbox is locked');
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  });
});

describe('escapeDiscord', () => {
  it('shows markdown as typed and keeps bare links clickable', () => {
    expect(escapeDiscord('[a](https://x.example/b)')).toBe('\\[a\\](https://x.example/b%29');
    expect(escapeDiscord('see https://support.google.com/mail/?p=BadCredentials now')).toBe('see https://support.google.com/mail/?p=BadCredentials now');
    expect(escapeDiscord('**bold** _it_ ~~s~~ `c` ||sp|| <@1> (x)')).toBe('\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`c\\` \\|\\|sp\\|\\| \\<@1\\> (x)');
    expect(escapeDiscord('# big\n  ## also')).toBe('\\# big\n  \\## also');
    expect(escapeDiscord('送信できません')).toBe('送信できません');
  });

  it('is linear: 200,000 brackets cost about as much as 200,000 letters', () => {
    const time = (s: string) => {
      const t0 = performance.now();
      escapeDiscord(s);
      return performance.now() - t0;
    };
    time('warm up');
    const letters = time('a'.repeat(200_000));
    expect(time('['.repeat(100_000) + '('.repeat(100_000))).toBeLessThan(Math.max(200, letters * 50));
  });
});
