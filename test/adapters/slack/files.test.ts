/**
 * Files shared in Slack through the real Bolt app and the Web API stand-in, which also serves the files (as Slack's
 * files host does, to the bot token only): file_share events shaped like Slack's, a long log, a bounce, refusals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../../src/files/text-file.js';
import { bigBounce, fixture, postfixLog } from '../../support/files.js';
import { expectWithinSlackLimits } from './limits.js';
import { nextTs } from '../../support/slack-driver.js';
import { startHarness, type SlackHarness } from '../../support/slack-harness.js';
import { BOT_USER_ID } from '../../support/slack-standin.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.standin.reset();
});

/** A Slack file object as in a file_share message event. */
function slackFile(name: string, url: string, size: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `F${Math.floor(Math.random() * 1e9)}`,
    created: 1765000000,
    timestamp: 1765000000,
    name,
    title: name,
    mimetype: 'text/plain',
    filetype: 'text',
    pretty_type: 'Plain Text',
    user: 'U1',
    user_team: 'T1',
    editable: true,
    size,
    mode: 'snippet',
    is_external: false,
    external_type: '',
    is_public: true,
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: url,
    url_private_download: url,
    permalink: 'https://test.slack.com/files/U1/F1/log.txt',
    ...extra,
  };
}

function fileShare(channel: string, channelType: string, text: string, files: Record<string, unknown>[]): Record<string, unknown> {
  return { type: 'message', subtype: 'file_share', channel, channel_type: channelType, user: 'U1', text, ts: nextTs(), event_ts: nextTs(), files, upload: false, display_as_bot: false };
}

/** A paste in another channel, answered: every event sent before it has been handled by then. */
async function sentinelPaste(): Promise<void> {
  await h.driver.event({ type: 'message', channel: 'CSENT', channel_type: 'channel', user: 'U1', text: '554 5.7.1 <bob@example.com>: Relay access denied', ts: nextTs() });
  await reply('CSENT');
}

async function reply(channel: string): Promise<string> {
  await h.standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.body.channel === channel));
  const post = h.standin.of('chat.postMessage').find((c) => c.body.channel === channel);
  return JSON.stringify(post?.body);
}

describe('Slack file_share', () => {
  it('answers a 300-line log shared in a channel with the failure near its end, fetched with the bot token', async () => {
    const log = postfixLog();
    const url = h.standin.serveFile('maillog.txt', log);
    const event = fileShare('C1', 'channel', '', [slackFile('maillog.txt', url, Buffer.byteLength(log))]);
    await h.driver.event(event);
    const body = await reply('C1');
    expect(body).toMatch(/mailbox|full|quota/i);
    expect(body).not.toMatch(/port 25|OP25B/i);
    expect(body).toContain('the last failed transaction');
    const fetches = h.standin.of('file');
    expect(fetches).toHaveLength(1);
    expect(fetches[0]?.headers.authorization).toBe('Bearer xoxb-test-token-0000');
    // The reply goes to the message's thread, as for a paste.
    expect(body).toContain(String(event.ts));
  });

  it('answers a bounce .eml shared in a DM per recipient, in Japanese for a Japanese message', async () => {
    const eml = fixture('bounce-iso2022jp.eml');
    const url = h.standin.serveFile('bounce.eml', eml, 'message/rfc822');
    await h.driver.event(fileShare('D1', 'im', 'このエラーメールの意味は？', [slackFile('bounce.eml', url, eml.byteLength, { mimetype: 'message/rfc822', filetype: 'eml' })]));
    const body = await reply('D1');
    expect(body).toContain('3 件中 2 件が届きませんでした');
    expect(body).toContain('taro@example.jp');
    expect(body).toContain('hanako@example.co.jp');
    expect(body).toContain('見積書の送付について');
  });

  it('fits a bounce of a mailing to 30 recipients into Block Kit, naming the first and counting the rest', async () => {
    const eml = bigBounce(30);
    const url = h.standin.serveFile('returned.eml', eml, 'message/rfc822');
    await h.driver.event(fileShare('D6', 'im', 'what now?', [slackFile('returned.eml', url, Buffer.byteLength(eml), { mimetype: 'message/rfc822' })]));
    await reply('D6');
    const post = h.standin.of('chat.postMessage').find((c) => c.body.channel === 'D6');
    const blocks = JSON.stringify(expectWithinSlackLimits(post!));
    expect(blocks).toContain('30 of 30 recipients failed');
    expect(blocks).toContain('user0@example0.jp');
    expect(blocks).toContain('25 more recipients failed');
  });

  it('asks files.info for a file the event leaves undetailed (file_access: check_file_info)', async () => {
    const eml = fixture('bounce-exim.eml');
    const url = h.standin.serveFile('returned.eml', eml, 'message/rfc822');
    const id = /-(F\d+)\//.exec(url)?.[1];
    await h.driver.event(fileShare('D7', 'im', '', [{ id, mode: 'file_access', file_access: 'check_file_info', created: 1765000000, user: 'U1', filetype: '' }]));
    expect(await reply('D7')).toContain('1 of 1 recipients failed');
    expect(h.standin.of('files.info')[0]?.body.file).toBe(id);
  });

  it('never fetches from a host other than the files host, whatever the event says', async () => {
    let hits = 0;
    const elsewhere: Server = createServer((_req, res) => {
      hits++;
      res.end('550 5.1.1 User unknown');
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.1', r));
    const port = (elsewhere.address() as AddressInfo).port;
    try {
      const foreign = `http://127.0.0.1:${port}/files-pri/T1-F9/log.txt`;
      await h.driver.event(fileShare('D2', 'im', '', [slackFile('log.txt', foreign, 22)]));
      const body = await reply('D2');
      expect(body).toMatch(/couldn't fetch the file/);
      // A URL merely written in a message is never fetched either.
      await h.driver.event({ type: 'message', channel: 'D3', channel_type: 'im', user: 'U1', text: `see <http://127.0.0.1:${port}/log.txt>`, ts: nextTs() });
      await reply('D3');
      expect(hits).toBe(0);
    } finally {
      await new Promise<void>((r) => elsewhere.close(() => r()));
    }
  });

  it("says it couldn't fetch a file when Slack answers with its sign-in page (no files:read), and logs why", async () => {
    const url = h.standin.serveFile('log.txt', '<!DOCTYPE html><html><title>Slack</title>550 5.1.1 sign in</html>', 'text/html; charset=utf-8');
    await h.driver.event(fileShare('D8', 'im', '', [slackFile('log.txt', url, 60)]));
    expect(await reply('D8')).toMatch(/couldn't fetch the file/);
    expect(h.logs()).toContain('files:read');
  });

  it('says, in a DM, that a file is too large or not text, without fetching it', async () => {
    const url = h.standin.serveFile('huge.log', 'x');
    await h.driver.event(fileShare('D4', 'im', 'log attached', [slackFile('huge.log', url, MAX_FILE_BYTES + 1)]));
    expect(await reply('D4')).toMatch(/too large to read \(limit 2 MB\)/);
    await h.driver.event(fileShare('D5', 'im', 'ログです', [slackFile('screen.png', url, 1000, { mimetype: 'image/png', filetype: 'png' })]));
    expect(await reply('D5')).toContain('このファイルは読めません');
    expect(h.standin.of('file')).toHaveLength(0);
  });

  it('reads a file shared with a mention (the app_mention event), and answers once', async () => {
    const eml = fixture('bounce-exim.eml');
    const url = h.standin.serveFile('returned.eml', eml, 'message/rfc822');
    const files = [slackFile('returned.eml', url, eml.byteLength, { mimetype: 'message/rfc822', filetype: 'eml' })];
    const ts = nextTs();
    // Slack sends both events for one message: the mention with its files, and the file_share message.
    await h.driver.event({ type: 'app_mention', channel: 'C9', user: 'U1', text: `<@${BOT_USER_ID}> what happened?`, ts, event_ts: ts, files });
    await h.driver.event({ ...fileShare('C9', 'channel', `<@${BOT_USER_ID}> what happened?`, files), ts });
    const body = await reply('C9');
    expect(body).toContain('1 of 1 recipients failed');
    expect(body).toContain('kenji@example.com');
    await sentinelPaste();
    expect(h.standin.of('chat.postMessage').filter((c) => c.body.channel === 'C9')).toHaveLength(1);
  });

  it('stays silent in a channel about a file it cannot read', async () => {
    const url = h.standin.serveFile('photo.jpg', 'x');
    await h.driver.event(fileShare('C7', 'channel', '', [slackFile('photo.jpg', url, 1000, { mimetype: 'image/jpeg', filetype: 'jpg' })]));
    // A paste after it is answered; by then the file was passed over.
    await h.driver.event({ type: 'message', channel: 'C8', channel_type: 'channel', user: 'U1', text: '554 5.7.1 <bob@example.com>: Relay access denied', ts: nextTs() });
    await reply('C8');
    expect(h.standin.of('chat.postMessage').filter((c) => c.body.channel === 'C7')).toHaveLength(0);
  });
});
