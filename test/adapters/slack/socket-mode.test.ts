/**
 * Socket Mode, the default: with an app token the app opens a WebSocket (URL from apps.connections.open) instead of
 * listening for HTTP. A loopback WebSocket plays Slack's side: hello, an event envelope, and the ack expected back.
 * Also: a token Slack rejects at start is an error startSlack reports, not an unhandled rejection.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { startSlack } from '../../../src/adapters/slack/app.js';
import { Bot } from '../../../src/bot/core.js';
import { createLogger } from '../../../src/log.js';
import { realIndex } from '../../support/kb.js';
import { SlackStandin } from '../../support/slack-standin.js';

let standin: SlackStandin;
let wss: WebSocketServer;
const sockets: WebSocket[] = [];
const received: string[] = [];

beforeAll(async () => {
  standin = await SlackStandin.start();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (data) => received.push(String(data)));
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'standin' }, connection_info: { app_id: 'A1' } }));
  });
  standin.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
});
afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await standin.close();
});

describe('Slack in Socket Mode', () => {
  it('connects over the WebSocket, acks an event envelope and answers in the thread', async () => {
    const log = createLogger('silent');
    const running = await startSlack({ botToken: 'xoxb-test-token-0000', appToken: 'xapp-test-token-0000', port: 3000, apiUrl: standin.apiUrl }, new Bot(realIndex()), undefined, log, {
      retryConfig: { retries: 0 },
    });
    try {
      expect(running.port).toBeUndefined();
      const open = standin.of('apps.connections.open')[0];
      expect(open?.headers.authorization).toBe('Bearer xapp-test-token-0000');
      const ts = '1700000300.000001';
      sockets[0]?.send(
        JSON.stringify({
          envelope_id: 'env-1',
          type: 'events_api',
          accepts_response_payload: false,
          retry_attempt: 0,
          retry_reason: '',
          payload: {
            team_id: 'T1',
            api_app_id: 'A1',
            type: 'event_callback',
            event_id: 'EvSOCKET1',
            event_time: 1700000300,
            event: { type: 'message', channel: 'C9', channel_type: 'channel', user: 'U1', text: '554 5.7.1 Relay access denied', ts },
          },
        }),
      );
      await standin.waitFor((calls) => calls.some((c) => c.method === 'chat.postMessage'));
      expect(standin.of('chat.postMessage')[0]?.body).toMatchObject({ channel: 'C9', thread_ts: ts });
      expect(received.some((m) => JSON.parse(m).envelope_id === 'env-1')).toBe(true);
    } finally {
      await running.stop();
    }
  });

  it('reports a bot token Slack rejects as an error from startSlack', async () => {
    standin.answerNext('auth.test', { body: { ok: false, error: 'invalid_auth' } });
    const start = startSlack({ botToken: 'xoxb-revoked-token-000', appToken: 'xapp-test-token-0000', port: 3000, apiUrl: standin.apiUrl }, new Bot(realIndex()), undefined, createLogger('silent'), {
      retryConfig: { retries: 0 },
    });
    await expect(start).rejects.toThrow(/invalid_auth/);
  });
});
