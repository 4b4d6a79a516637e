/**
 * A stand-in of Discord on 127.0.0.1 for driving the real discord.js Client: a REST API (records every call and
 * answers the routes the bot uses) and, on the same port, a WebSocket gateway that does HELLO → IDENTIFY → READY
 * (+ GUILD_CREATE), acknowledges heartbeats, and dispatches MESSAGE_CREATE / INTERACTION_CREATE shaped like Discord's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayOpcodes,
  InteractionType,
} from 'discord.js';

export const IDS = {
  app: '100000000000000001',
  bot: '100000000000000002',
  guild: '100000000000000003',
  channel: '100000000000000004',
  otherChannel: '100000000000000005',
  dm: '100000000000000006',
  user: '100000000000000007',
  otherBot: '100000000000000008',
} as const;

export interface RecordedCall {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  raw: string;
  /** The JSON body, when there is one. */
  body: unknown;
  /** When it arrived (ms), to check the spacing of edits. */
  at: number;
  /** The message the stand-in answered with, for calls that make or edit one (its id is what a user replies to). */
  response?: Record<string, unknown>;
}

export interface GatewayFrame {
  op: number;
  d: unknown;
}

export interface StandinOptions {
  /** Heartbeat interval announced in HELLO; short in the test that checks heartbeat acknowledgement. */
  heartbeatIntervalMs?: number;
  /** The bot token the API accepts (other tokens get 401, as from Discord). */
  token?: string;
  /** Answer IDENTIFY by closing with this code (4014: a privileged intent not enabled in the portal). */
  closeOnIdentify?: number;
  /**
   * false: the Message Content intent is not enabled for this app, as in the portal: an IDENTIFY asking for it is
   * closed with 4014. A client identified without it gets no text of guild messages that do not mention the bot.
   */
  messageContentAllowed?: boolean;
  /** Shards /gateway/bot recommends (default 1). Guild events then go to the guild's shard only, DMs to shard 0. */
  shards?: number;
}

const MESSAGE_CONTENT_INTENT = 1 << 15;
const BOT_USER = { id: IDS.bot, username: 'smtp-doctor', discriminator: '0', global_name: null, avatar: null, bot: true };
export const HUMAN = { id: IDS.user, username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null };
export const OTHER_BOT = { id: IDS.otherBot, username: 'other-bot', discriminator: '0', global_name: null, avatar: null, bot: true };

let snowflake = 200000000000000000n;
const nextId = (): string => String(++snowflake);

export class DiscordStandin {
  readonly calls: RecordedCall[] = [];
  readonly frames: GatewayFrame[] = [];
  /** Every upgrade request's URL (path and query), to check how the client connected. */
  readonly gatewayUrls: string[] = [];
  /** Close codes of gateway connections the client closed. */
  readonly closeCodes: number[] = [];
  /** Whether the connected client asked for the Message Content intent. */
  private messageContentIntent = true;
  private readonly server: http.Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  /** The shard each gateway connection identified as: [id, count]. */
  readonly shardOf = new Map<WebSocket, [number, number]>();
  private seq = 0;
  private failures: { method: string; path: RegExp; status: number }[] = [];
  /** The id of each interaction's reply ('@original'), by its webhook path. */
  private readonly originals = new Map<string, string>();
  port = 0;

  constructor(private readonly options: StandinOptions = {}) {
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (socket, req) => this.onConnection(socket, req));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next matching call fails with `status` (and a Discord-shaped error body). */
  failNext(method: string, path: RegExp, status: number): void {
    this.failures.push({ method, path, status });
  }

  /** Calls whose method and path match (the path without the query string). */
  find(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path.split('?')[0] ?? ''));
  }

  /** Waits until `count` calls match; fails with what was seen instead. */
  async waitFor(method: string, path: RegExp, count = 1, timeoutMs = 5000): Promise<RecordedCall[]> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const found = this.find(method, path);
      if (found.length >= count) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`stand-in: ${count} × ${method} ${path} not seen; saw:\n${this.calls.map((c) => `${c.method} ${c.path}`).join('\n')}`);
  }

  /** Everything the bot sent to Discord, as one string, for "this secret appears nowhere" checks. */
  everything(): string {
    return [...this.calls.map((c) => `${c.path}\n${c.raw}`), ...this.frames.map((f) => JSON.stringify(f))].join('\n');
  }

  // ─── REST ──────────────────────────────────────────────────────────────────────────────────────────────────

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      const contentType = req.headers['content-type'];
      let body: unknown;
      if (contentType?.includes('application/json') && raw) body = JSON.parse(raw);
      // discord.js encodes '@original' as %40original.
      const call: RecordedCall = { method: req.method ?? '', path: decodeURIComponent(req.url ?? ''), authorization: req.headers.authorization, contentType, raw, body, at: Date.now() };
      this.calls.push(call);
      this.answer(call, res);
    });
  }

  private json(res: http.ServerResponse, status: number, data: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(data));
  }

  private message(channelId: string, body: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const b = (body ?? {}) as Record<string, unknown>;
    return {
      id: nextId(),
      channel_id: channelId,
      author: BOT_USER,
      content: b.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: b.embeds ?? [],
      components: b.components ?? [],
      pinned: false,
      type: 0,
      flags: b.flags ?? 0,
      ...extra,
    };
  }

  private answer(call: RecordedCall, res: http.ServerResponse): void {
    const path = call.path.split('?')[0] ?? '';
    let m: RegExpExecArray | null;
    const failure = this.failures.findIndex((f) => f.method === call.method && f.path.test(path));
    if (failure >= 0) {
      const { status } = this.failures.splice(failure, 1)[0] ?? { status: 500 };
      if (status === 429) {
        // As Discord answers a rate-limited call: wait 100 ms, this route only.
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0.1', 'x-ratelimit-scope': 'user' });
        res.end(JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.1, global: false }));
        return;
      }
      // Discord's answers to an interaction token that has expired (15 minutes): 401 / 50027 and 404 / 10015.
      const known: Record<number, [string, number]> = { 403: ['Missing Permissions', 50013], 401: ['Invalid Webhook Token', 50027], 404: ['Unknown Webhook', 10015] };
      const [message, code] = known[status] ?? ['Stand-in failure', 0];
      return this.json(res, status, { message, code });
    }
    if (call.method === 'GET' && path.startsWith('/attachments/')) {
      const file = this.files.get(path);
      if (!file) return this.json(res, 404, { message: 'Not found', code: 0 });
      res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.byteLength) });
      return void res.end(file.bytes);
    }
    // Interaction callbacks and webhooks are authorised by their token in the path, everything else by the bot token.
    const byPath = /^\/api\/v10\/(interactions|webhooks)\//.test(path);
    if (!byPath && call.authorization !== `Bot ${this.options.token ?? 'fake-token'}`) {
      return this.json(res, 401, { message: '401: Unauthorized', code: 0 });
    }
    if (call.method === 'GET' && path === '/api/v10/gateway/bot') {
      return this.json(res, 200, {
        url: `ws://127.0.0.1:${this.port}`,
        shards: this.options.shards ?? 1,
        // As large bots get: every shard may identify at once (no 5 s wait between them).
        session_start_limit: { total: 1000, remaining: 999, reset_after: 60_000, max_concurrency: this.options.shards ?? 1 },
      });
    }
    if (call.method === 'GET' && path === '/api/v10/users/@me') return this.json(res, 200, BOT_USER);
    if (call.method === 'GET' && path === '/api/v10/applications/@me') return this.json(res, 200, { id: IDS.app, name: 'smtp-doctor', bot: BOT_USER });
    if (call.method === 'PUT' && (m = /^\/api\/v10\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      const commands = (call.body as Record<string, unknown>[]).map((c) => ({ ...c, id: nextId(), application_id: m?.[1], version: nextId(), guild_id: m?.[2] }));
      return this.json(res, 200, commands);
    }
    // Interaction callbacks: 204 with no body and no content-type (discord.js chokes on an empty JSON body).
    if (call.method === 'POST' && /^\/api\/v10\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      res.writeHead(204);
      return void res.end();
    }
    if ((m = /^\/api\/v10\/webhooks\/\d+\/[^/]+(?:\/messages\/(@original|\d+))?$/.exec(path))) {
      if (call.method === 'DELETE') {
        res.writeHead(204);
        return void res.end();
      }
      // An interaction's reply keeps its id through every edit, as Discord's does.
      const original = m[1] === '@original' ? (this.originals.get(path) ?? nextId()) : m[1];
      if (m[1] === '@original') this.originals.set(path, original as string);
      call.response = this.message(IDS.channel, call.body, { webhook_id: IDS.app, application_id: IDS.app, ...(original ? { id: original } : {}) });
      return this.json(res, 200, call.response);
    }
    if ((m = /^\/api\/v10\/channels\/(\d+)\/messages(?:\/(\d+))?$/.exec(path))) {
      const channelId = m[1] ?? IDS.channel;
      if (call.method === 'POST') {
        call.response = this.message(channelId, call.body);
        return this.json(res, 200, call.response);
      }
      if (call.method === 'PATCH') return this.json(res, 200, this.message(channelId, call.body, { id: m[2], edited_timestamp: new Date().toISOString() }));
    }
    // A DM channel with a user (User#send opens one first).
    if (call.method === 'POST' && path === '/api/v10/users/@me/channels') {
      const recipient = (call.body as { recipient_id?: string } | undefined)?.recipient_id ?? IDS.user;
      return this.json(res, 200, { id: IDS.dm, type: ChannelType.DM, recipients: [{ ...HUMAN, id: recipient }], last_message_id: null });
    }
    if (call.method === 'POST' && /^\/api\/v10\/channels\/\d+\/typing$/.test(path)) {
      res.writeHead(204);
      return void res.end();
    }
    this.json(res, 404, { message: 'Unknown route in the stand-in', code: 0 });
  }

  // ─── gateway ───────────────────────────────────────────────────────────────────────────────────────────────

  private onConnection(socket: WebSocket, req: http.IncomingMessage): void {
    this.sockets.add(socket);
    this.gatewayUrls.push(req.url ?? '');
    socket.on('close', (code) => {
      this.sockets.delete(socket);
      this.closeCodes.push(code);
    });
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as GatewayFrame;
      this.frames.push(frame);
      if (frame.op === GatewayOpcodes.Heartbeat) this.send(socket, { op: GatewayOpcodes.HeartbeatAck });
      if (frame.op === GatewayOpcodes.Identify) {
        const shard = (frame.d as { shard?: [number, number] }).shard;
        this.shardOf.set(socket, shard ?? [0, 1]);
        const intents = Number((frame.d as { intents?: unknown }).intents ?? 0);
        this.messageContentIntent = (intents & MESSAGE_CONTENT_INTENT) !== 0;
        const refused = this.options.messageContentAllowed === false && this.messageContentIntent;
        if (this.options.closeOnIdentify || refused) socket.close(this.options.closeOnIdentify ?? 4014, 'Disallowed intent(s).');
        else this.ready(socket);
      }
    });
    this.send(socket, { op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs ?? 45_000 } });
  }

  private send(socket: WebSocket, frame: Record<string, unknown>): void {
    socket.send(JSON.stringify({ s: null, t: null, d: null, ...frame }));
  }

  /** Discord's rule: a guild's events go to shard (guild_id >> 22) % shard count. */
  static shardOfGuild(guildId: string, count: number): number {
    return Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  private owns(socket: WebSocket, guildId: string | undefined): boolean {
    const [id, count] = this.shardOf.get(socket) ?? [0, 1];
    return (guildId === undefined ? 0 : DiscordStandin.shardOfGuild(guildId, count)) === id;
  }

  private ready(socket: WebSocket): void {
    const [shardId, shardCount] = this.shardOf.get(socket) ?? [0, 1];
    const guilds = this.owns(socket, IDS.guild) ? [{ id: IDS.guild, unavailable: true }] : [];
    this.send(socket, {
      op: GatewayOpcodes.Dispatch,
      t: 'READY',
      s: ++this.seq,
      d: {
        v: 10,
        user: BOT_USER,
        guilds,
        session_id: `standin-session-${shardId}`,
        resume_gateway_url: `ws://127.0.0.1:${this.port}`,
        shard: [shardId, shardCount],
        application: { id: IDS.app, flags: 0 },
      },
    });
    if (guilds.length === 0) return;
    this.send(socket, {
      op: GatewayOpcodes.Dispatch,
      t: 'GUILD_CREATE',
      s: ++this.seq,
      d: {
        id: IDS.guild,
        name: 'Mail help',
        icon: null,
        owner_id: IDS.user,
        unavailable: false,
        member_count: 2,
        joined_at: new Date().toISOString(),
        large: false,
        features: [],
        emojis: [],
        stickers: [],
        roles: [{ id: IDS.guild, name: '@everyone', permissions: '104324673', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
        members: [],
        presences: [],
        voice_states: [],
        threads: [],
        stage_instances: [],
        guild_scheduled_events: [],
        channels: [
          { id: IDS.channel, type: ChannelType.GuildText, name: 'mail-help', guild_id: IDS.guild, position: 0, permission_overwrites: [] },
          { id: IDS.otherChannel, type: ChannelType.GuildText, name: 'general', guild_id: IDS.guild, position: 1, permission_overwrites: [] },
        ],
      },
    });
  }

  /** Sends a dispatch to every connected client. */
  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    const guildId = (d as { guild_id?: unknown } | null)?.guild_id;
    for (const s of this.sockets) {
      if (this.owns(s, typeof guildId === 'string' ? guildId : undefined)) this.send(s, { op: GatewayOpcodes.Dispatch, t, s: this.seq, d });
    }
  }

  // ─── payload builders ──────────────────────────────────────────────────────────────────────────────────────

  /** A MESSAGE_CREATE: in the guild's #mail-help unless `channelId` says otherwise (IDS.dm for a DM). */
  /** Files served under /attachments/ as Discord's CDN serves them (no authorization needed). */
  readonly files = new Map<string, { bytes: Uint8Array; contentType: string }>();

  /** An attachment object as in a MESSAGE_CREATE, its file served by this stand-in. */
  attachment(filename: string, bytes: Uint8Array | string, contentType = 'text/plain; charset=utf-8', url?: string): Record<string, unknown> {
    const id = nextId();
    const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    const path = `/attachments/${IDS.channel}/${id}/${encodeURIComponent(filename)}`;
    this.files.set(decodeURIComponent(path), { bytes: data, contentType });
    const served = url ?? `http://127.0.0.1:${this.port}${path}?ex=0&is=0&hm=0`;
    return { id, filename, size: data.byteLength, url: served, proxy_url: served, content_type: contentType };
  }

  sendMessage(
    content: string,
    opts: { author?: typeof HUMAN | typeof OTHER_BOT | typeof BOT_USER; channelId?: string; mentionBot?: boolean; attachments?: Record<string, unknown>[]; replyTo?: string } = {},
  ): string {
    const id = nextId();
    const channelId = opts.channelId ?? IDS.channel;
    const inGuild = channelId !== IDS.dm;
    const author = opts.author ?? HUMAN;
    this.dispatch('MESSAGE_CREATE', {
      id,
      channel_id: channelId,
      // Discord adds the channel type to gateway messages; discord.js needs it to build an uncached DM channel.
      channel_type: inGuild ? ChannelType.GuildText : ChannelType.DM,
      ...(inGuild ? { guild_id: IDS.guild, member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 } } : {}),
      author,
      // Without the Message Content intent Discord blanks the text, except in DMs and messages that mention the bot.
      content: this.messageContentIntent || !inGuild || opts.mentionBot ? content : '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: opts.mentionBot ? [BOT_USER] : [],
      mention_roles: [],
      attachments: opts.attachments ?? [],
      embeds: [],
      pinned: false,
      // A reply (type 19) points at the message it answers, as Discord's reply button makes it.
      type: opts.replyTo ? 19 : 0,
      ...(opts.replyTo ? { message_reference: { type: 0, message_id: opts.replyTo, channel_id: channelId, ...(inGuild ? { guild_id: IDS.guild } : {}) } } : {}),
      flags: 0,
    });
    return id;
  }

  private interactionBase(opts: { dm?: boolean; locale?: string }): Record<string, unknown> {
    const channel = opts.dm
      ? { id: IDS.dm, type: ChannelType.DM, recipients: [HUMAN] }
      : { id: IDS.channel, type: ChannelType.GuildText, name: 'mail-help', guild_id: IDS.guild, position: 0, permission_overwrites: [] };
    return {
      id: nextId(),
      application_id: IDS.app,
      token: `itoken-${nextId()}`,
      version: 1,
      channel_id: channel.id,
      channel,
      ...(opts.dm
        ? { user: HUMAN, context: 1 }
        : {
            guild_id: IDS.guild,
            guild_locale: 'en-US',
            member: { user: HUMAN, roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0, permissions: '104324673' },
            context: 0,
          }),
      locale: opts.locale ?? 'en-US',
      app_permissions: '104324673',
      entitlements: [],
      authorizing_integration_owners: { 0: IDS.guild },
      attachment_size_limit: 8388608,
    };
  }

  /** A slash command. Returns the interaction's id and token (the paths of its callback and webhook edits). */
  slashCommand(
    name: string,
    options: { name: string; type: 'string' | 'integer'; value: string | number }[],
    opts: { dm?: boolean; locale?: string } = {},
  ): { id: string; token: string } {
    const base = this.interactionBase(opts);
    this.dispatch('INTERACTION_CREATE', {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id: nextId(),
        name,
        type: ApplicationCommandType.ChatInput,
        options: options.map((o) => ({
          name: o.name,
          type: o.type === 'string' ? ApplicationCommandOptionType.String : ApplicationCommandOptionType.Integer,
          value: o.value,
        })),
      },
    });
    return { id: base.id as string, token: base.token as string };
  }

  /** An INTERACTION_CREATE of `type` without its `data` (malformed, or a kind this client does not know). */
  interactionWithoutData(type: number): string {
    const base = this.interactionBase({});
    this.dispatch('INTERACTION_CREATE', { ...base, type });
    return base.id as string;
  }

  /** "Diagnose this message" (a message context-menu command) on a message `content` written by someone else. */
  messageCommand(name: string, content: string, opts: { locale?: string } = {}): { id: string; token: string } {
    const base = this.interactionBase(opts);
    const target = this.message(IDS.channel, { content }, { author: { ...HUMAN, id: '100000000000000099', username: 'bob' } });
    this.dispatch('INTERACTION_CREATE', {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: { id: nextId(), name, type: ApplicationCommandType.Message, target_id: target.id, resolved: { messages: { [target.id as string]: target } } },
    });
    return { id: base.id as string, token: base.token as string };
  }

  /** A button press on a message the bot sent (`flags` 64 = ephemeral). */
  pressButton(customId: string, opts: { dm?: boolean; locale?: string; messageFlags?: number } = {}): { id: string; token: string } {
    const base = this.interactionBase(opts);
    this.dispatch('INTERACTION_CREATE', {
      ...base,
      type: InteractionType.MessageComponent,
      message: this.message(opts.dm ? IDS.dm : IDS.channel, { content: '', flags: opts.messageFlags ?? 0 }),
      data: { custom_id: customId, component_type: ComponentType.Button },
    });
    return { id: base.id as string, token: base.token as string };
  }

  /** A choice in a string select menu on a message the bot sent (ephemeral by default, as the feedback menu is). */
  chooseInMenu(customId: string, values: string[], opts: { dm?: boolean; locale?: string; messageFlags?: number } = {}): { id: string; token: string } {
    const base = this.interactionBase(opts);
    this.dispatch('INTERACTION_CREATE', {
      ...base,
      type: InteractionType.MessageComponent,
      message: this.message(opts.dm ? IDS.dm : IDS.channel, { content: '', flags: opts.messageFlags ?? 64 }),
      data: { custom_id: customId, component_type: ComponentType.StringSelect, values },
    });
    return { id: base.id as string, token: base.token as string };
  }

  /** A modal's answer, with label components (type 18) around text inputs, as Discord sends them now. */
  submitModal(customId: string, values: Record<string, string>, opts: { dm?: boolean; locale?: string } = {}): { id: string; token: string } {
    const base = this.interactionBase(opts);
    this.dispatch('INTERACTION_CREATE', {
      ...base,
      type: InteractionType.ModalSubmit,
      data: {
        custom_id: customId,
        components: Object.entries(values).map(([k, v], i) => ({
          type: ComponentType.Label,
          id: i + 1,
          component: { type: ComponentType.TextInput, id: i + 10, custom_id: k, value: v },
        })),
      },
    });
    return { id: base.id as string, token: base.token as string };
  }
}
