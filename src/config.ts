/**
 * The only module that reads process.env (and .env). Every setting is validated here, at start,
 * and a bad one is named with what is wrong, so that a misconfigured deployment fails with a clear message.
 * Every command starts here, a probe of a loopback port too: the schema library is valibot, whose functions are
 * bundled one by one (a few KB), where zod would cost the command more time than the probe itself.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import * as v from 'valibot';

/**
 * A DNS server as c-ares' setServers takes it: `IPv4[:port]`, `[IPv6]:port` or a bare IPv6 address. Names are refused,
 * because resolving the resolver's own name would need a resolver. Returns null for anything else.
 */
export function parseDnsServer(raw: string): string | null {
  const s = raw.trim();
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/.exec(s);
  if (!m) return isIP(s) === 6 ? s : null;
  const host = m[1] ?? m[2] ?? '';
  if (isIP(host) !== (m[1] !== undefined ? 6 : 4)) return null;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  if (port === undefined) return host;
  return m[1] !== undefined ? `[${host}]:${port}` : `${host}:${port}`;
}

export const DNS_SERVER_HINT = 'must be DNS server IP addresses with an optional port, such as 127.0.0.1:5353,[::1]:53 (not host names)';

/** A trimmed setting, empty counting as unset, that must pass `ok` when set. No message echoes the value: it may be a secret. */
const setting = (ok: (s: string) => boolean = () => true, message = '') =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => (s.trim() ? s.trim() : undefined)),
      v.check((s) => s === undefined || ok(s), message),
    ),
  );

// An unset variable is read as '' (the default of v.optional goes through the pipe), so each helper has one empty case.

/** Comma-separated values, each checked by `item`. */
const csv = <T>(item: v.GenericSchema<string, T>) =>
  v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
      v.array(item),
    ),
    '',
  );

const int = (min: number, max: number, dflt: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => (s === '' ? dflt : Number(s))),
      v.number(message),
      v.integer(message),
      v.minValue(min, message),
      v.maxValue(max, message),
    ),
    '',
  );
};

const flag = (dflt: boolean) =>
  v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const s = dataset.value;
        if (s === '') return dflt;
        if (/^(1|true|yes|on)$/i.test(s)) return true;
        if (/^(0|false|no|off)$/i.test(s)) return false;
        addIssue({ message: 'must be true or false' });
        return NEVER;
      }),
    ),
    '',
  );

const url = setting((s) => URL.canParse(s), 'must be a URL such as http://127.0.0.1:3000/api/');
const numericId = (message: string) => setting((s) => /^\d{5,25}$/.test(s), message);

const cidr = v.pipe(v.string(), v.regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'must be CIDRs such as 10.0.0.0/8,fd00::/8'));
const PORTS = 'must be port numbers from 1 to 65535 separated by commas';
const port = v.pipe(v.string(), v.regex(/^\d{1,5}$/, PORTS), v.transform(Number), v.minValue(1, PORTS), v.maxValue(65535, PORTS));

const dnsServer = v.pipe(
  v.string(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const server = parseDnsServer(dataset.value);
    if (server === null) {
      addIssue({ message: `"${dataset.value}" ${DNS_SERVER_HINT}` });
      return NEVER;
    }
    return server;
  }),
);

const envSchema = v.object({
  LOG_LEVEL: v.optional(v.picklist(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be one of fatal, error, warn, info, debug, trace, silent')),
  SMTP_DOCTOR_LANG: v.optional(v.picklist(['ja', 'en'], 'must be ja or en')),

  SLACK_BOT_TOKEN: setting((s) => s.startsWith('xoxb-'), 'must start with xoxb-'),
  SLACK_APP_TOKEN: setting((s) => s.startsWith('xapp-'), 'must start with xapp-'),
  SLACK_SIGNING_SECRET: setting(),
  SLACK_API_URL: url,
  SLACK_CLIENT_ID: setting(),
  SLACK_CLIENT_SECRET: setting(),
  SLACK_STATE_SECRET: setting(),
  SLACK_INSTALL_KEY: setting(
    (s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, 'base64').length === 32,
    'must be 32 random bytes in base64 (openssl rand -base64 32)',
  ),
  SLACK_AUTHORIZE_URL: url,
  PORT: int(0, 65535, 3000),
  HOST: setting(),

  DISCORD_TOKEN: setting(),
  DISCORD_APP_ID: numericId('must be the numeric application id'),
  DISCORD_GUILD_ID: numericId('must be a numeric guild id'),
  DISCORD_CHANNELS: csv(v.pipe(v.string(), v.regex(/^\d{5,25}$/, 'must be numeric channel ids separated by commas'))),
  DISCORD_API_URL: url,
  DISCORD_MESSAGE_CONTENT: flag(true),

  CHANNEL_REPLY_INTERVAL_MS: int(0, 3_600_000, 1_000),

  PROBE_ALLOW_CIDRS: csv(cidr),
  PROBE_PORTS: csv(port),
  PROBE_EXTRA_ALLOWED_PORTS: csv(port),
  PROBE_CONNECT_TIMEOUT_MS: int(100, 60_000, 5_000),
  PROBE_GREETING_TIMEOUT_MS: int(100, 60_000, 10_000),
  PROBE_TOTAL_TIMEOUT_MS: int(500, 120_000, 20_000),
  PROBE_RATE_PER_MINUTE: int(1, 1000, 5),
  PROBE_MAX_CONCURRENT: int(1, 100, 4),
  PROBE_EGRESS_25_BLOCKED: flag(false),

  DNS_SERVERS: csv(dnsServer),
  DATA_DIR: setting(),
  REDIS_URL: setting((s) => /^rediss?:\/\/\S+$/.test(s), 'must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379'),
  USER_REPLY_INTERVAL_MS: int(0, 3_600_000, 10_000),
  METRICS_PORT: int(0, 65535, 0),
  METRICS_HOST: setting(),
  DRAIN_TIMEOUT_MS: int(0, 600_000, 10_000),
});

export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  /** Encrypts installations (their bot tokens) at rest. */
  installKey: Buffer;
  /** Slack's authorize page; only tests point it elsewhere. */
  authorizeUrl?: string;
}

export interface SlackConfig {
  /** One workspace: its bot token. Absent in OAuth mode, where each installed workspace has its own. */
  botToken?: string;
  /** Many workspaces: the OAuth v2 install flow at /slack/install (HTTP mode). */
  oauth?: SlackOAuthConfig;
  /** Socket Mode when set; HTTP mode (signing secret + port) otherwise. */
  appToken?: string;
  signingSecret?: string;
  port: number;
  host?: string;
  apiUrl?: string;
}

export interface DiscordConfig {
  token: string;
  appId?: string;
  guildId?: string;
  channels: string[];
  apiUrl?: string;
  /**
   * The privileged Message Content intent (default on). Off: slash commands, mentions and DMs only — Discord then
   * sends no text of other channel messages.
   */
  messageContent?: boolean;
}

export interface ProbeConfig {
  allowCidrs: string[];
  /** Ports probed when the user names none. */
  ports: number[];
  /** Ports a user may ask for beyond the SMTP ones (25, 465, 587, 2525). */
  extraAllowedPorts: number[];
  connectTimeoutMs: number;
  greetingTimeoutMs: number;
  totalTimeoutMs: number;
  ratePerMinute: number;
  maxConcurrent: number;
  /** This host's own network blocks outbound port 25, so port-25 timeouts say nothing about the server. */
  egress25Blocked: boolean;
  /** The DNS servers probes and sender checks ask (DNS_SERVERS); the system's resolver when absent or empty. */
  dnsServers?: string[];
}

export interface StateConfig {
  /** Where the SQLite store lives (without REDIS_URL). */
  dataDir: string;
  /** Shared state for several instances; never logged (it may carry a password). */
  redisUrl?: string;
}

export interface OpsConfig {
  /** /healthz, /readyz and /metrics when Slack is not in HTTP mode (0: none). */
  metricsPort: number;
  metricsHost: string;
  /** On SIGTERM, how long in-flight replies, edits and probes may take before the process exits anyway. */
  drainTimeoutMs: number;
}

export interface Config {
  logLevel: string;
  defaultLang?: 'ja' | 'en';
  slack?: SlackConfig;
  discord?: DiscordConfig;
  channelReplyIntervalMs: number;
  userReplyIntervalMs: number;
  probe: ProbeConfig;
  state: StateConfig;
  ops: OpsConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration problem:\n  ${problems.join('\n  ')}\nSee .env.example for every setting.`);
    this.name = 'ConfigError';
  }
}

/** Reads .env (when present) into process.env without overriding what is already set. */
export function loadDotEnv(file = '.env'): void {
  if (existsSync(file)) process.loadEnvFile(file);
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // The first problem of each setting is enough to name it.
  const parsed = v.safeParse(envSchema, env, { abortPipeEarly: true });
  if (!parsed.success) {
    throw new ConfigError(parsed.issues.map((i) => `${(i.path ?? []).map((p) => String(p.key)).join('.')}: ${i.message}`));
  }
  const e = parsed.output;
  const problems: string[] = [];

  let slack: SlackConfig | undefined;
  const oauthSet = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET, e.SLACK_INSTALL_KEY].some((v) => v !== undefined);
  if (oauthSet) {
    const missing = (['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'SLACK_INSTALL_KEY', 'SLACK_SIGNING_SECRET'] as const).filter((k) => e[k] === undefined);
    if (missing.length > 0) problems.push(`${missing.join(', ')}: needed for the OAuth install (many workspaces)`);
    if (e.SLACK_APP_TOKEN) problems.push('SLACK_APP_TOKEN: the OAuth install runs in HTTP mode; leave it unset');
    if (e.SLACK_BOT_TOKEN) problems.push('SLACK_BOT_TOKEN: each installed workspace has its own token in OAuth mode; leave it unset');
    if (e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET && e.SLACK_INSTALL_KEY) {
      slack = {
        oauth: {
          clientId: e.SLACK_CLIENT_ID,
          clientSecret: e.SLACK_CLIENT_SECRET,
          stateSecret: e.SLACK_STATE_SECRET,
          installKey: Buffer.from(e.SLACK_INSTALL_KEY, 'base64'),
          ...(e.SLACK_AUTHORIZE_URL ? { authorizeUrl: e.SLACK_AUTHORIZE_URL } : {}),
        },
        signingSecret: e.SLACK_SIGNING_SECRET,
        port: e.PORT,
        host: e.HOST,
        apiUrl: e.SLACK_API_URL,
      };
    }
  } else if (e.SLACK_BOT_TOKEN) {
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      problems.push('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET: one is needed with SLACK_BOT_TOKEN (Socket Mode or HTTP mode)');
    }
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      port: e.PORT,
      host: e.HOST,
      apiUrl: e.SLACK_API_URL,
    };
  } else if (e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET) {
    problems.push('SLACK_BOT_TOKEN: missing (the other Slack settings are set)');
  }

  let discord: DiscordConfig | undefined;
  if (e.DISCORD_TOKEN) {
    discord = {
      token: e.DISCORD_TOKEN,
      appId: e.DISCORD_APP_ID,
      guildId: e.DISCORD_GUILD_ID,
      channels: e.DISCORD_CHANNELS,
      apiUrl: e.DISCORD_API_URL,
      messageContent: e.DISCORD_MESSAGE_CONTENT,
    };
  } else if (e.DISCORD_APP_ID && e.DISCORD_GUILD_ID) {
    problems.push('DISCORD_TOKEN: missing (the other Discord settings are set)');
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    logLevel: e.LOG_LEVEL ?? 'warn',
    defaultLang: e.SMTP_DOCTOR_LANG,
    slack,
    discord,
    channelReplyIntervalMs: e.CHANNEL_REPLY_INTERVAL_MS,
    userReplyIntervalMs: e.USER_REPLY_INTERVAL_MS,
    state: { dataDir: e.DATA_DIR ?? 'data', ...(e.REDIS_URL ? { redisUrl: e.REDIS_URL } : {}) },
    ops: { metricsPort: e.METRICS_PORT, metricsHost: e.METRICS_HOST ?? '127.0.0.1', drainTimeoutMs: e.DRAIN_TIMEOUT_MS },
    probe: {
      allowCidrs: e.PROBE_ALLOW_CIDRS,
      ports: e.PROBE_PORTS.length > 0 ? e.PROBE_PORTS : [25, 465, 587],
      extraAllowedPorts: e.PROBE_EXTRA_ALLOWED_PORTS,
      connectTimeoutMs: e.PROBE_CONNECT_TIMEOUT_MS,
      greetingTimeoutMs: e.PROBE_GREETING_TIMEOUT_MS,
      totalTimeoutMs: e.PROBE_TOTAL_TIMEOUT_MS,
      ratePerMinute: e.PROBE_RATE_PER_MINUTE,
      maxConcurrent: e.PROBE_MAX_CONCURRENT,
      egress25Blocked: e.PROBE_EGRESS_25_BLOCKED,
      ...(e.DNS_SERVERS.length > 0 ? { dnsServers: e.DNS_SERVERS } : {}),
    },
  };
}
