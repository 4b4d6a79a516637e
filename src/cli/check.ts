/**
 * `smtp-doctor check TARGET [--json] [--dns IP:PORT]... [--selector NAME]... [--lang ja|en]`: the sender-side DNS
 * checks. Exit codes: 0 checked and nothing blocking, 1 checked and found an error, 2 bad usage, 3 target refused
 * (no query was sent).
 */
import type { ProbeConfig } from '../config.js';
import { t } from '../engine/i18n.js';
import type { KnowledgeEntry, Lang, UiStrings } from '../engine/types.js';
import { checkOptionsFromConfig, runCheck, type CheckOptions } from '../probe/check/index.js';
import { checkJson, checkRefusalReply, checkReply } from '../probe/check/reply.js';
import type { ProbeLimiter } from '../probe/limits.js';
import { renderText } from '../render/text.js';
import { dnsFlag, FlagError, langFlag, readFlags } from './flags.js';

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

interface Flags {
  target: string;
  json: boolean;
  dns: string[];
  selectors: string[];
}

const KINDS = { json: 'boolean', lang: 'string', dns: 'string', selector: 'string' } as const;

function parseFlags(argv: string[]): Flags | 'help' {
  const read = readFlags(argv, KINDS);
  if (read.help) return 'help';
  const flags: Flags = { target: '', json: false, dns: [], selectors: [] };
  for (const { name, value: v = '' } of read.options) {
    switch (name) {
      case 'json':
        flags.json = true;
        break;
      case 'dns':
        flags.dns.push(dnsFlag(v));
        break;
      case 'selector':
        if (!/^[a-z0-9][a-z0-9._-]{0,62}$/i.test(v)) throw new FlagError('check.cli.bad-selector', { value: v });
        flags.selectors.push(v);
        break;
      case 'lang':
        // Already applied by langFlag(), so that earlier messages are in it too.
        break;
    }
  }
  if (read.positionals.length !== 1) throw new FlagError('check.cli.missing-target');
  flags.target = read.positionals[0] ?? '';
  return flags;
}

export async function checkCommand(argv: string[], io: CheckIO, deps: CheckDeps): Promise<number> {
  const { ui } = deps;
  const fallback = deps.lang ?? 'en';
  const lang = langFlag(argv, fallback);
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
    if (!(err instanceof FlagError)) throw err;
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
