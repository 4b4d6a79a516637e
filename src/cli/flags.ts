/**
 * The options reader `probe` and `check` share. node:util's parseArgs splits the arguments (`--flag value`,
 * `--flag=value`, `-h`, `--`); this turns its tokens into the options in the order given and into errors that carry a
 * message key, so each command answers bad usage in the user's language.
 */
import { parseArgs } from 'node:util';
import { parseDnsServer } from '../config.js';
import type { Lang } from '../engine/types.js';

export class FlagError extends Error {
  constructor(
    readonly key: string,
    readonly vars: Record<string, string> = {},
  ) {
    super(key);
  }
}

/** Long option names (without `--`) and whether each takes a value. `--help` and `-h` are always known. */
export type FlagKinds = Readonly<Record<string, 'boolean' | 'string'>>;

export interface ReadFlags {
  /** The options in the order given; a `string` option always has its value. */
  options: { name: string; value: string | undefined }[];
  positionals: string[];
  help: boolean;
}

export interface ReadOptions {
  /** Checked first for every option as typed (`-p`, `--password`), known or not: an error to give instead of reading on. */
  refuse?: (rawName: string) => FlagError | undefined;
}

/**
 * Reads argv left to right; the first problem wins. An option that takes a value and is followed by another long
 * option (`--port --json`) has no value: the user forgot it, and `--json` is not a port.
 */
export function readFlags(argv: readonly string[], kinds: FlagKinds, opts: ReadOptions = {}): ReadFlags {
  const options = Object.fromEntries(Object.entries(kinds).map(([name, type]) => [name, { type, multiple: true }]));
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...options, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const read: ReadFlags = { options: [], positionals: [], help: false };
  for (const token of tokens) {
    if (token.kind === 'positional') read.positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const refusal = opts.refuse?.(token.rawName);
    if (refusal) throw refusal;
    if (token.name === 'help') return { ...read, help: true };
    const kind = Object.hasOwn(kinds, token.name) ? kinds[token.name] : undefined;
    if (kind === undefined) throw new FlagError('probe.cli.unknown-flag', { flag: token.rawName });
    if (kind === 'boolean') {
      read.options.push({ name: token.name, value: undefined });
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
      throw new FlagError('probe.cli.needs-value', { flag: token.rawName });
    }
    read.options.push({ name: token.name, value: token.value });
  }
  return read;
}

/**
 * The `--lang` of argv, read before anything else so that every message, the usage errors too, is in it: the
 * fallback when absent, null when it names no language we speak.
 */
export function langFlag(argv: readonly string[], fallback: Lang): Lang | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const v = arg.startsWith('--lang=') ? arg.slice(7) : arg === '--lang' ? argv[i + 1] : undefined;
    if (v === undefined) continue;
    return v === 'ja' || v === 'en' ? v : null;
  }
  return fallback;
}

/** `--dns HOST:PORT`, as `probe` and `check` both take it: the server, or the usage error naming the bad value. */
export function dnsFlag(value: string): string {
  const server = parseDnsServer(value);
  if (server === null) throw new FlagError('probe.cli.bad-dns', { value });
  return server;
}
