/**
 * The project's logger: pino on stderr (stdout belongs to replies and the classify contract).
 * Every string that reaches a log line goes through the engine's redaction first, and credential-shaped
 * keys are censored by pino itself, so no password, token or AUTH line is ever written.
 */
import pino, { type Logger } from 'pino';
import { redact } from './engine/redact.js';

export type { Logger };

/** Keys whose whole value is a credential, at any depth: `transport.options.auth.pass`, `smtpPassword`, `botToken` … */
const SECRET_KEY = /pass(?:word|wd|phrase)?$|^pwd$|secret|token|api[_-]?key|credential|^auth$|^authorization$|cookie/i;
/** Deeper than any log object the code builds; past it a value is dropped, not walked (and never a cycle). */
const MAX_DEPTH = 32;

function scrub(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH || seen.has(value)) return '[dropped]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redact(value.message) };
    for (const k of ['code', 'command', 'responseCode', 'response'] as const) {
      const v = (value as unknown as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = scrub(v, depth + 1, seen);
    }
    if (value.stack) out.stack = redact(value.stack);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? '[REDACTED]' : scrub(v, depth + 1, seen);
  return out;
}

export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
