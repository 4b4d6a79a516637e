/**
 * `smtp-doctor check TARGET [--json] [--dns IP:PORT]... [--selector NAME]... [--lang ja|en]`: the sender-side DNS
 * checks. Exit codes: 0 checked and nothing blocking, 1 checked and found an error, 2 bad usage, 3 target refused
 * (no query was sent).
 */
import { parseDnsServer, type ProbeConfig } from '../config.js';
import { t } from '../engine/i18n.js';
import type { KnowledgeEntry, Lang, UiStrings } from '../engine/types.js';
import { checkOptionsFromConfig, runCheck, type CheckOptions } from '../probe/check/index.js';
import { checkJson, checkRefusalReply, checkReply } from '../probe/check/reply.js';
import type { ProbeLimiter } from '../probe/limits.js';
import { renderText } from '../render/text.js';

export interface CheckIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CheckDeps {
  config: ProbeConfig;
  ui: UiStrings;
  entries: readonly KnowledgeEntry[];
  lang?: Lang;
  limiter?: ProbeLimiter;
  /** Options tests set directly (a resolver). */
  overrides?: Partial<CheckOptions>;
}

class UsageError extends Error {
  constructor(
    readonly key: string,
    readonly vars: Record<string, string> = {},
  ) {
    super(key);
  }
}

interface Flags {
  target: string;
  json: boolean;
  dns: string[];
  selectors: string[];
}

function parseFlags(argv: string[]): Flags | 'help' {
  const flags: Flags = { target: '', json: false, dns: [], selectors: [] };
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError('probe.cli.needs-value', { flag: name });
      i++;
      return next;
    };
    switch (name) {
      case '--help':
      case '-h':
        return 'help';
      case '--json':
        flags.json = true;
        break;
      case '--lang':
        value();
        break;
      case '--dns': {
        const v = value();
        const server = parseDnsServer(v);
        if (server === null) throw new UsageError('probe.cli.bad-dns', { value: v });
        flags.dns.push(server);
        break;
      }
      case '--selector': {
        const v = value();
        if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(v)) throw new UsageError('check.cli.bad-selector', { value: v });
        flags.selectors.push(v);
        break;
      }
      default:
        if (arg.startsWith('-') && arg.length > 1) throw new UsageError('probe.cli.unknown-flag', { flag: name });
        targets.push(arg);
    }
  }
  if (targets.length !== 1) throw new UsageError('check.cli.missing-target');
  flags.target = targets[0] ?? '';
  return flags;
}

function langOf(argv: string[], fallback: Lang): Lang | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const v = arg.startsWith('--lang=') ? arg.slice(7) : arg === '--lang' ? argv[i + 1] : undefined;
    if (v === undefined) continue;
    return v === 'ja' || v === 'en' ? v : null;
  }
  return fallback;
}

export async function checkCommand(argv: string[], io: CheckIO, deps: CheckDeps): Promise<number> {
  const { ui } = deps;
  const fallback = deps.lang ?? 'en';
  const lang = langOf(argv, fallback);
  const usage = (l: Lang) => `${t(ui, 'check.cli.usage', l)}\n`;
  if (lang === null) {
    io.stderr.write(`${t(ui, 'probe.cli.bad-lang', fallback)}\n${usage(fallback)}`);
    return 2;
  }
  let flags: Flags;
  try {
    const parsed = parseFlags(argv);
    if (parsed === 'help') {
      io.stdout.write(usage(lang));
      return 0;
    }
    flags = parsed;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`${t(ui, err.key, lang, err.vars)}\n${usage(lang)}`);
    return 2;
  }

  const base = checkOptionsFromConfig(deps.config);
  const options: CheckOptions = {
    ...base,
    ui,
    ...(flags.dns.length > 0 ? { dnsServers: flags.dns } : {}),
    ...(deps.limiter ? { limiter: deps.limiter, userId: 'cli' } : {}),
    ...deps.overrides,
  };
  if (flags.selectors.length > 0) options.selectors = flags.selectors;
  const outcome = await runCheck(flags.target, options);
  if (!outcome.ok) {
    const reply = checkRefusalReply(outcome.refusal, lang, ui);
    if (flags.json) io.stdout.write(`${JSON.stringify({ refusal: outcome.refusal, message: reply.summary })}\n`);
    else io.stderr.write(`${renderText(reply)}\n`);
    return 3;
  }
  const report = outcome.report;
  if (flags.json) io.stdout.write(`${JSON.stringify(checkJson(report, lang), null, 2)}\n`);
  else io.stdout.write(`${renderText(checkReply(report, lang, ui, deps.entries))}\n`);
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
