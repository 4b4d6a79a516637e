/**
 * `smtp-doctor probe TARGET [--port N]... [--timeout MS] [--json] [--allow-private] [--lang ja|en]
 *  [--user NAME --password-stdin] [--ca FILE]`.
 * Exit codes: 0 probe ran and found nothing blocking, 1 probe ran and found an error, 2 bad usage, 3 target refused
 * (nothing was sent). The password is read from stdin or a silent prompt only, never from argv.
 */
import { readFileSync } from 'node:fs';
import type { ProbeConfig } from '../config.js';
import { t } from '../engine/i18n.js';
import type { Lang, UiStrings } from '../engine/types.js';
import { probeOptionsFromConfig, runProbe, type Credentials, type ProbeOptions } from '../probe/index.js';
import { probeRefusalReply, probeReply } from '../probe/reply.js';
import { renderText } from '../render/text.js';
import { readAll } from '../read-all.js';
import { dnsFlag, FlagError, langFlag, readFlags } from './flags.js';

export interface ProbeIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

export interface ProbeDeps {
  config: ProbeConfig;
  ui: UiStrings;
  lang?: Lang;
}

interface Flags {
  target: string;
  ports: number[];
  timeoutMs?: number;
  json: boolean;
  allowPrivate: boolean;
  lang: Lang;
  user?: string;
  passwordStdin: boolean;
  /** PEM file of an internal CA, so servers with certificates from it count as valid (and may receive the password). */
  caFile?: string;
  /** `--dns host:port` (repeatable): the DNS servers to ask instead of DNS_SERVERS or the system's. */
  dns: string[];
}

const PASSWORD_FLAGS = new Set(['--password', '--pass', '--passwd', '-p']);

const KINDS = {
  json: 'boolean',
  'allow-private': 'boolean',
  'password-stdin': 'boolean',
  port: 'string',
  timeout: 'string',
  lang: 'string',
  user: 'string',
  ca: 'string',
  dns: 'string',
} as const;

function parseFlags(argv: string[], lang: Lang): Flags | 'help' {
  const read = readFlags(argv, KINDS, {
    refuse: (name) => (PASSWORD_FLAGS.has(name) ? new FlagError('probe.cli.password-argv') : undefined),
  });
  if (read.help) return 'help';
  const flags: Flags = { target: '', ports: [], json: false, allowPrivate: false, lang, passwordStdin: false, dns: [] };
  for (const { name, value: v = '' } of read.options) {
    switch (name) {
      case 'json':
        flags.json = true;
        break;
      case 'allow-private':
        flags.allowPrivate = true;
        break;
      case 'password-stdin':
        flags.passwordStdin = true;
        break;
      case 'port':
        if (!/^\d{1,5}$/.test(v) || Number(v) < 1 || Number(v) > 65535) throw new FlagError('probe.cli.bad-port', { value: v });
        flags.ports.push(Number(v));
        break;
      case 'timeout':
        if (!/^\d+$/.test(v) || Number(v) < 100 || Number(v) > 60_000) throw new FlagError('probe.cli.bad-timeout', { value: v });
        flags.timeoutMs = Number(v);
        break;
      case 'user':
        flags.user = v;
        break;
      case 'ca':
        flags.caFile = v;
        break;
      case 'dns':
        flags.dns.push(dnsFlag(v));
        break;
      case 'lang':
        // Already applied by langFlag(), so that earlier messages are in it too.
        break;
    }
  }
  if (read.positionals.length !== 1) throw new FlagError('probe.cli.missing-target');
  if (flags.passwordStdin && flags.user === undefined) throw new FlagError('probe.cli.password-needs-user');
  flags.target = read.positionals[0] ?? '';
  return flags;
}

type RawModeStream = NodeJS.ReadableStream & { setRawMode(mode: boolean): void };

/** Reads a line without echoing it; Ctrl-C or end of input gives an empty password. */
function promptSilently(io: ProbeIO, prompt: string): Promise<string> {
  const input = io.stdin as RawModeStream;
  io.stderr.write(prompt);
  return new Promise((resolve) => {
    let value = '';
    const finish = () => {
      input.setRawMode(false);
      input.removeListener('data', onData);
      input.removeListener('end', finish);
      input.pause();
      io.stderr.write('\n');
      resolve(value);
    };
    const onData = (d: Buffer | string) => {
      for (const ch of d.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') {
          value = '';
          return finish();
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.setRawMode(true);
    input.on('data', onData);
    input.on('end', finish);
    input.resume();
  });
}

async function readCredentials(flags: Flags, io: ProbeIO, ui: UiStrings): Promise<Credentials | undefined> {
  if (flags.user === undefined) return undefined;
  let pass: string;
  if (flags.passwordStdin) pass = (await readAll(io.stdin)).replace(/\r?\n$/, '');
  else if (io.isTTY && typeof (io.stdin as Partial<RawModeStream>).setRawMode === 'function') {
    pass = await promptSilently(io, t(ui, 'probe.cli.password-prompt', flags.lang));
  } else pass = '';
  if (pass === '') throw new FlagError('probe.cli.no-password');
  return { user: flags.user, pass };
}

function readCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    throw new FlagError('probe.cli.bad-ca', { file });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new FlagError('probe.cli.bad-ca', { file });
  return pem;
}

export async function probeCommand(argv: string[], io: ProbeIO, deps: ProbeDeps): Promise<number> {
  const { ui } = deps;
  const lang = langFlag(argv, deps.lang ?? 'en');
  const usage = (l: Lang) => `${t(ui, 'probe.cli.usage', l)}\n`;
  if (lang === null) {
    io.stderr.write(`${t(ui, 'probe.cli.bad-lang', deps.lang ?? 'en')}\n${usage(deps.lang ?? 'en')}`);
    return 2;
  }

  let flags: Flags;
  let credentials: Credentials | undefined;
  let ca: string | undefined;
  try {
    const parsed = parseFlags(argv, lang);
    if (parsed === 'help') {
      io.stdout.write(usage(lang));
      return 0;
    }
    flags = parsed;
    ca = flags.caFile === undefined ? undefined : readCa(flags.caFile);
    credentials = await readCredentials(flags, io, ui);
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    io.stderr.write(`${t(ui, err.key, lang, err.vars)}\n${usage(lang)}`);
    return 2;
  }

  const base = probeOptionsFromConfig(deps.config);
  const options: ProbeOptions = {
    ...base,
    ui,
    allowPrivate: flags.allowPrivate,
    ...(flags.ports.length > 0 ? { ports: flags.ports } : {}),
    ...(flags.timeoutMs !== undefined
      ? { timeouts: { ...base.timeouts, connectMs: flags.timeoutMs, greetingMs: flags.timeoutMs, commandMs: flags.timeoutMs } }
      : {}),
    ...(credentials ? { credentials } : {}),
    ...(ca ? { ca: [ca] } : {}),
    ...(flags.dns.length > 0 ? { dnsServers: flags.dns } : {}),
  };
  const outcome = await runProbe(flags.target, options);

  if (!outcome.ok) {
    const reply = probeRefusalReply(outcome.refusal, flags.lang, ui);
    if (flags.json) io.stdout.write(`${JSON.stringify({ refusal: outcome.refusal, message: reply.summary })}\n`);
    else io.stderr.write(`${renderText(reply)}\n`);
    return 3;
  }
  const report = outcome.report;
  if (flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(`${renderText(probeReply(report, flags.lang, ui))}\n`);
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
