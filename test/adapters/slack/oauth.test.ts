/**
 * Many workspaces: Bolt's OAuth v2 install flow against the stand-in's oauth.v2.access, the installation kept in the
 * state store encrypted, events of the new workspace answered with its own token (its shared files fetched with it too),
 * and app_uninstalled / tokens_revoked deleting it.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack, type RunningSlack } from '../../../src/adapters/slack/app.js';
import { EncryptedInstallationStore } from '../../../src/adapters/slack/installations.js';
import { Bot } from '../../../src/bot/core.js';
import { createLogger } from '../../../src/log.js';
import { realIndex } from '../../support/kb.js';
import { SIGNING_SECRET, SlackDriver, nextTs } from '../../support/slack-driver.js';
import { OAUTH_BOT_TOKEN, SlackStandin } from '../../support/slack-standin.js';

const KEY = randomBytes(32);
let standin: SlackStandin;
let running: RunningSlack;
let driver: SlackDriver;
let bot: Bot;
const lines: string[] = [];

beforeAll(async () => {
  standin = await SlackStandin.start();
  bot = new Bot(realIndex());
  const log = createLogger('debug', new Writable({ write: (c: Buffer, _e, done) => void (lines.push(c.toString()), done()) }));
  running = await startSlack(
    {
      oauth: { clientId: '111.222', clientSecret: 'client-secret-000', stateSecret: 'state-secret-000', installKey: KEY, authorizeUrl: `http://127.0.0.1:${standin.port}/oauth/v2/authorize` },
      signingSecret: SIGNING_SECRET,
      port: 0,
      host: '127.0.0.1',
      apiUrl: standin.apiUrl,
    },
    bot,
    undefined,
    log,
    { retryConfig: { retries: 0 } },
  );
  driver = new SlackDriver(running.port!);
});
afterAll(async () => {
  await running.stop();
  await standin.close();
});

const base = () => `http://127.0.0.1:${running.port}`;

function teamEvent(event: Record<string, unknown>, team = 'T2'): string {
  return JSON.stringify({ token: 'legacy', team_id: team, api_app_id: 'A1', type: 'event_callback', event_id: `Ev${nextTs().replace('.', '')}`, event_time: 1, authorizations: [{ team_id: team, user_id: 'UBOT', is_bot: true }], event });
}

describe('the OAuth install', () => {
  it('installs a workspace: /slack/install → Slack\'s authorize page → /slack/oauth_redirect → oauth.v2.access, token stored encrypted', async () => {
    const start = await fetch(`${base()}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const location = new URL(start.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(`http://127.0.0.1:${standin.port}/oauth/v2/authorize`);
    expect(location.searchParams.get('client_id')).toBe('111.222');
    expect(location.searchParams.get('scope')?.split(',').sort()).toEqual(['app_mentions:read', 'channels:history', 'chat:write', 'commands', 'files:read', 'groups:history', 'im:history', 'im:write']);
    const state = location.searchParams.get('state') ?? '';
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

    const done = await fetch(`${base()}/slack/oauth_redirect?code=the-code&state=${encodeURIComponent(state)}`, { headers: { cookie }, redirect: 'manual' });
    expect(done.status).toBe(200);
    const exchange = standin.of('oauth.v2.access')[0];
    expect(exchange?.body).toMatchObject({ code: 'the-code', client_id: '111.222' });

    const stored = JSON.stringify(await bot.store.entries('slack:installation:'));
    expect(stored).toContain('slack:installation:T:T2');
    expect(stored).not.toContain(OAUTH_BOT_TOKEN);
    const installation = await new EncryptedInstallationStore(bot.store, KEY).fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(installation.bot?.token).toBe(OAUTH_BOT_TOKEN);
    await expect(new EncryptedInstallationStore(bot.store, randomBytes(32)).fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow();
    expect(lines.join('')).not.toContain(OAUTH_BOT_TOKEN);
  });

  it('a state that was not issued here is refused, and nothing is exchanged', async () => {
    const before = standin.of('oauth.v2.access').length;
    const res = await fetch(`${base()}/slack/oauth_redirect?code=x&state=forged`, { redirect: 'manual' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(standin.of('oauth.v2.access')).toHaveLength(before);
  });

  it('the installed workspace\'s events are answered with its own token', async () => {
    const ts = nextTs();
    const res = await driver.post(teamEvent({ type: 'message', channel: 'CT2', channel_type: 'channel', user: 'U1', text: '554 5.7.1 Relay access denied', ts }), 'application/json');
    expect(res.status).toBe(200);
    await standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.body.channel === 'CT2'));
    const post = standin.of('chat.postMessage').find((c) => c.body.channel === 'CT2');
    expect(post?.headers.authorization).toBe(`Bearer ${OAUTH_BOT_TOKEN}`);
    expect(post?.body.thread_ts).toBe(ts);
  });

  it('a file shared in the installed workspace is fetched with that workspace\'s token, not a single bot token', async () => {
    // The stand-in's files host serves a file only to the token it is told, as Slack's serves a workspace's files
    // only to that workspace's tokens.
    standin.botToken = OAUTH_BOT_TOKEN;
    const log = 'Dec  7 05:00:01 mx postfix/smtp[1]: 4AB12C: to=<kuro@example.jp>, relay=mx.example.jp[192.0.2.9]:25, status=bounced (host mx.example.jp[192.0.2.9] said: 552 5.2.2 <kuro@example.jp>: Mailbox full (in reply to RCPT TO command))\n';
    const url = standin.serveFile('bounce.log', log);
    const ts = nextTs();
    const file = { id: 'F2', name: 'bounce.log', title: 'bounce.log', mimetype: 'text/plain', filetype: 'text', size: Buffer.byteLength(log), url_private: url, url_private_download: url, user_team: 'T2' };
    await driver.post(teamEvent({ type: 'message', subtype: 'file_share', channel: 'CT2F', channel_type: 'channel', user: 'U1', text: '', ts, files: [file] }), 'application/json');
    await standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage' && c.body.channel === 'CT2F'));
    const fetched = standin.of('file');
    expect(fetched).toHaveLength(1);
    expect(fetched[0]?.headers.authorization).toBe(`Bearer ${OAUTH_BOT_TOKEN}`);
    const post = standin.of('chat.postMessage').find((c) => c.body.channel === 'CT2F');
    expect(JSON.stringify(post?.body)).toMatch(/mailbox|full/i);
    expect(lines.join('')).not.toContain(OAUTH_BOT_TOKEN);
  });

  it('app_uninstalled deletes the installation; the workspace is then not answered', async () => {
    await driver.post(teamEvent({ type: 'app_uninstalled', event_ts: '1.1' }), 'application/json');
    const until = Date.now() + 3000;
    while ((await bot.store.entries('slack:installation:')).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(await bot.store.entries('slack:installation:')).toEqual([]);
    standin.reset();
    await driver.post(teamEvent({ type: 'message', channel: 'CT2', channel_type: 'channel', user: 'U1', text: '554 5.7.1 Relay access denied', ts: nextTs() }), 'application/json');
    await new Promise((r) => setTimeout(r, 300));
    expect(standin.of('chat.postMessage')).toHaveLength(0);
  });

  it('tokens_revoked for the bot token deletes the installation too', async () => {
    const installations = new EncryptedInstallationStore(bot.store, KEY);
    await installations.storeInstallation({ team: { id: 'T3' }, enterprise: undefined, user: { id: 'U', token: undefined, scopes: undefined }, bot: { token: 'xoxb-t3', scopes: [], id: 'B', userId: 'UBOT' }, isEnterpriseInstall: false });
    await driver.post(teamEvent({ type: 'tokens_revoked', tokens: { bot: ['UBOT'] }, event_ts: '1.2' }, 'T3'), 'application/json');
    const until = Date.now() + 3000;
    while ((await bot.store.entries('slack:installation:')).length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(await bot.store.entries('slack:installation:')).toEqual([]);
  });
});
