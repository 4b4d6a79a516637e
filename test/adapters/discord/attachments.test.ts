/**
 * Attachments through the real discord.js Client and the loopback stand-in, which serves the files as Discord's CDN
 * does: message.txt (a long paste), a bounce .eml, a refused foreign URL, an oversized file.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { MAX_FILE_BYTES } from '../../../src/files/text-file.js';
import { IDS } from '../../support/discord-standin.js';
import { QUIET_MS, sleep, startHarness, type Harness } from '../../support/discord-harness.js';
import { fixture, postfixLog } from '../../support/files.js';

interface SentBody {
  content?: string;
  embeds?: APIEmbed[];
  message_reference?: { message_id: string };
}

const posts = (h: Harness): SentBody[] => h.standin.find('POST', /\/channels\/\d+\/messages$/).map((c) => c.body as SentBody);
const fileGets = (h: Harness) => h.standin.find('GET', /^\/attachments\//);

async function nextPost(h: Harness, before: number): Promise<SentBody> {
  const [call] = (await h.standin.waitFor('POST', /\/channels\/\d+\/messages$/, before + 1)).slice(before);
  return call?.body as SentBody;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ channels: [IDS.channel] });
});
afterAll(async () => {
  await h?.stop();
});

describe('attachments', () => {
  test("Discord's message.txt of a 300-line log is answered with the failure near its end", async () => {
    const before = posts(h).length;
    const id = h.standin.sendMessage('', { attachments: [h.standin.attachment('message.txt', postfixLog())] });
    const body = await nextPost(h, before);
    expect(body.message_reference?.message_id).toBe(id);
    const text = JSON.stringify(body.embeds);
    expect(text).toMatch(/mailbox|full|quota/i);
    expect(text).not.toMatch(/OP25B/);
    expect(fileGets(h).length).toBeGreaterThanOrEqual(1);
  });

  test('a bounce .eml is answered per recipient', async () => {
    const before = posts(h).length;
    h.standin.sendMessage('why did this bounce?', { attachments: [h.standin.attachment('Undelivered Mail.eml', fixture('bounce-exim.eml'), 'message/rfc822')] });
    const text = JSON.stringify((await nextPost(h, before)).embeds);
    expect(text).toContain('1 of 1 recipients failed');
    expect(text).toContain('kenji@example.com');
    expect(text).toMatch(/552 5\.3\.4 Message size exceeds/);
    expect(text).toContain('Photos from the trip');
  });

  test('an attachment URL off the CDN is never fetched; a DM says the file could not be fetched', async () => {
    let hits = 0;
    const elsewhere: Server = createServer((_req, res) => {
      hits++;
      res.end('550 5.1.1 User unknown');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    try {
      const port = (elsewhere.address() as AddressInfo).port;
      const before = posts(h).length;
      h.standin.sendMessage('', { channelId: IDS.dm, attachments: [h.standin.attachment('log.txt', 'x', 'text/plain', `http://127.0.0.1:${port}/attachments/1/2/log.txt`)] });
      const body = await nextPost(h, before);
      expect(JSON.stringify(body)).toMatch(/couldn't fetch the file/);
      expect(hits).toBe(0);
    } finally {
      await new Promise<void>((r) => elsewhere.close(() => r()));
    }
  });

  test('an oversized or binary attachment: a clear message in a DM, silence in a channel, nothing fetched', async () => {
    const gets = fileGets(h).length;
    let before = posts(h).length;
    const big = h.standin.attachment('huge.log', 'x');
    h.standin.sendMessage('ログを送ります', { channelId: IDS.dm, attachments: [{ ...big, size: MAX_FILE_BYTES + 1 }] });
    expect(JSON.stringify(await nextPost(h, before))).toContain('ファイルが大きすぎて読めません（上限 2 MB）');
    before = posts(h).length;
    h.standin.sendMessage('', { attachments: [h.standin.attachment('photo.png', 'x', 'image/png')] });
    await sleep(QUIET_MS);
    expect(posts(h).length).toBe(before);
    expect(fileGets(h).length).toBe(gets);
  });
});
