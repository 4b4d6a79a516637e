/**
 * A stand-in for Slack's Web API and response URLs on 127.0.0.1: records every call and answers the way Slack does
 * (auth.test, apps.connections.open, chat.postMessage, chat.postEphemeral, chat.update, conversations.open, views.open,
 * views.publish, response URLs). Tests point the app's SLACK_API_URL here, and assert on what arrived — which also
 * proves nothing went to slack.com.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandinCall {
  /** Web API method (`chat.postMessage`) or `respond` for a response URL. */
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as received: what a secret scan must look at. */
  raw: string;
  /** The body parsed; form fields that hold JSON (blocks, view) are parsed too. */
  body: Record<string, unknown>;
  at: number;
}

export interface StandinAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
/** The bot token oauth.v2.access hands out for workspace T2. */
export const OAUTH_BOT_TOKEN = 'xoxb-t2-oauth-token-0000';

function parse(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

export class SlackStandin {
  readonly calls: StandinCall[] = [];
  /** Channels the bot is not a member of: posting there fails with not_in_channel. */
  readonly notInChannel = new Set<string>();
  /** The WebSocket URL apps.connections.open hands out (Socket Mode tests). */
  socketUrl: string | undefined;
  private readonly queued = new Map<string, StandinAnswer[]>();
  /** Files served under /files-pri/ (url_private), by path. */
  readonly files = new Map<string, { bytes: Uint8Array; contentType: string }>();
  /** The token a file download must carry. */
  botToken = 'xoxb-test-token-0000';
  private tsCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<SlackStandin> {
    let standin: SlackStandin | undefined;
    const server = createServer((req, res) => {
      // Shared files, as Slack's files host serves them (url_private): only with the bot token, else a login page.
      if (req.url?.startsWith('/files-pri/') && standin) {
        const file = standin.files.get(req.url);
        standin.calls.push({ method: 'file', path: req.url, headers: req.headers, raw: '', body: {}, at: Date.now() });
        req.resume();
        if (!file || req.headers.authorization !== `Bearer ${standin.botToken}`) {
          res.writeHead(file ? 302 : 404, file ? { location: 'https://slack.com/signin' } : {});
          return void res.end();
        }
        res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) });
        return void res.end(file.bytes);
      }
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', () => {
        const answer = standin?.answer(req.url ?? '', req.headers, raw) ?? { status: 500, body: {} };
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standin = new SlackStandin(server, (server.address() as AddressInfo).port);
    return standin;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  /** Serves `bytes` as a shared file and returns its url_private. */
  serveFile(name: string, bytes: Uint8Array | string, contentType = 'text/plain'): string {
    const path = `/files-pri/T1-F${this.files.size + 1}/${encodeURIComponent(name)}`;
    this.files.set(path, { bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes, contentType });
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The next call of `method` gets this answer instead of the usual one. */
  answerNext(method: string, answer: StandinAnswer): void {
    const list = this.queued.get(method) ?? [];
    list.push(answer);
    this.queued.set(method, list);
  }

  of(method: string): StandinCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until the recorded calls satisfy `done` (polling), or fails with what was recorded. */
  async waitFor(done: (calls: StandinCall[]) => boolean, timeoutMs = 4000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!done(this.calls)) {
      if (Date.now() > until) throw new Error(`stand-in: condition not met; calls: ${this.calls.map((c) => c.method).join(', ') || 'none'}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  reset(): void {
    this.calls.length = 0;
    this.queued.clear();
    this.notInChannel.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(path: string, headers: IncomingHttpHeaders, raw: string): StandinAnswer {
    const method = path.startsWith('/respond/') ? 'respond' : path.replace(/^\/api\//, '').split('?')[0] ?? '';
    const body = parse(raw, headers['content-type']);
    this.calls.push({ method, path, headers, raw, body, at: Date.now() });
    const queued = this.queued.get(method)?.shift();
    if (queued) return queued;
    const channel = typeof body.channel === 'string' ? body.channel : '';
    switch (method) {
      case 'respond':
        return { body: { ok: true } };
      case 'oauth.v2.access':
        // An install into workspace T2 (what Slack answers when the code from the authorize page is exchanged).
        return {
          body: {
            ok: true,
            app_id: 'A1',
            authed_user: { id: 'UINSTALLER' },
            scope: String(body.scope ?? 'chat:write,commands'),
            token_type: 'bot',
            access_token: OAUTH_BOT_TOKEN,
            bot_user_id: BOT_USER_ID,
            team: { id: 'T2', name: 'Second workspace' },
            enterprise: null,
            is_enterprise_install: false,
          },
        };
      case 'auth.test':
        return { body: { ok: true, user_id: BOT_USER_ID, bot_id: BOT_ID, team_id: 'T1', user: 'smtp-doctor', team: 'Test' } };
      case 'chat.postMessage':
        if (this.notInChannel.has(channel)) return { body: { ok: false, error: 'not_in_channel' } };
        return { body: { ok: true, channel, ts: `1800000000.${String(++this.tsCounter).padStart(6, '0')}`, message: {} } };
      case 'chat.postEphemeral':
        if (this.notInChannel.has(channel)) return { body: { ok: false, error: 'not_in_channel' } };
        return { body: { ok: true, message_ts: `1800000000.${String(++this.tsCounter).padStart(6, '0')}` } };
      case 'chat.update':
        return { body: { ok: true, channel, ts: body.ts, text: body.text } };
      case 'conversations.open':
        return { body: { ok: true, channel: { id: `D${String(body.users)}` } } };
      case 'apps.connections.open':
        return this.socketUrl ? { body: { ok: true, url: this.socketUrl } } : { body: { ok: false, error: 'invalid_auth' } };
      case 'files.info': {
        const file = [...this.files.entries()].find(([path]) => path.includes(`-${String(body.file)}/`));
        if (!file) return { body: { ok: false, error: 'file_not_found' } };
        const url = `http://127.0.0.1:${this.port}${file[0]}`;
        return { body: { ok: true, file: { id: body.file, name: decodeURIComponent(file[0].split('/').pop() ?? ''), mimetype: file[1].contentType, size: file[1].bytes.byteLength, url_private: url, url_private_download: url } } };
      }
      case 'views.open':
        return { body: { ok: true, view: { id: 'V1' } } };
      case 'views.publish':
        return { body: { ok: true, view: { id: 'VHOME', type: 'home' } } };
      default:
        return { body: { ok: false, error: 'unknown_method' } };
    }
  }
}
