/**
 * The project's logger: pino on stderr (stdout belongs to replies and the classify contract).
 * Every string that reaches a log line goes through the engine's redaction first, and credential-shaped
 * keys are censored by pino itself, so no password, token or AUTH line is ever written.
 */
import pino, { type Logger } from 'pino';
import { redact } from './engine/redact.js';

export type { Logger };

const SECRET_KEYS = ['password', 'pass', 'token', 'botToken', 'appToken', 'signingSecret', 'secret', 'authorization', 'auth'];

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: redact(value.message) };
    for (const k of ['code', 'command', 'responseCode', 'response'] as const) {
      const v = (value as unknown as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = scrub(v, depth + 1);
    }
    if (value.stack) out.stack = redact(value.stack);
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}

export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)], censor: '[REDACTED]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrub(a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
