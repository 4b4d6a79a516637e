/**
 * The optional AUTH test: nodemailer's verify() on the submission port, over TLS only, to the address the guard
 * approved. The password is only sent to a server whose certificate checked out and that offers a password mechanism;
 * the result says what happened, with the server's reply redacted. Credentials never reach a log or the report.
 */
import net from 'node:net';
import { serverText } from './smtp.js';
import type { AuthResult, PortResult } from './types.js';

export interface Credentials {
  user: string;
  pass: string;
}

export interface AuthTestOptions {
  hostname: string;
  ehloName: string;
  /** Each nodemailer phase (connect, greeting, socket idle). */
  timeoutMs: number;
  /** The whole test, so that it ends within the probe's total time limit whatever the phases add up to. */
  budgetMs: number;
  ca?: string[];
}

/** Password mechanisms nodemailer can speak; a server offering only others (XOAUTH2) needs an app token instead. */
const PASSWORD_MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5'];

const result = (outcome: AuthResult['outcome'], port: number | null, more: Partial<AuthResult> = {}): AuthResult => ({
  outcome,
  port,
  response: null,
  responseCode: null,
  code: null,
  ...more,
});

/** 587 with STARTTLS first (the submission standard, RFC 6409), else 465 with implicit TLS. */
export function pickSubmissionPort(ports: PortResult[]): PortResult | null {
  const usable = (p: PortResult) => p.state === 'open' && p.error === null && p.tls !== 'none';
  return ports.find((p) => p.port === 587 && usable(p)) ?? ports.find((p) => p.port === 465 && usable(p)) ?? ports.find(usable) ?? null;
}

export async function testAuth(ports: PortResult[], creds: Credentials, opts: AuthTestOptions): Promise<AuthResult> {
  const port = pickSubmissionPort(ports);
  if (!port) return result('skipped', null, { code: 'no-tls-port' });
  if (port.certificate && !port.certificate.valid) return result('skipped', port.port, { code: 'certificate-invalid' });
  if (port.authMechanisms.length === 0) return result('not-offered', port.port);
  if (!port.authMechanisms.some((m) => PASSWORD_MECHANISMS.includes(m))) {
    return result('method-mismatch', port.port, { response: port.authMechanisms.join(' ') });
  }

  // Loaded here, not at start-up: most probes carry no credentials and need none of it.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: port.address,
    port: port.port,
    secure: port.tls === 'implicit',
    requireTLS: port.tls === 'starttls',
    name: opts.ehloName,
    auth: { user: creds.user, pass: creds.pass },
    // verify() reports success without trying AUTH when the server does not advertise it; force the attempt.
    forceAuth: true,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
    dnsTimeout: opts.timeoutMs,
    logger: false,
    debug: false,
    tls: {
      // SNI carries names only (RFC 6066); for an IP target nodemailer checks the certificate against the IP itself.
      ...(net.isIP(opts.hostname) ? {} : { servername: opts.hostname }),
      rejectUnauthorized: true,
      ...(opts.ca ? { ca: opts.ca } : {}),
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const outOfTime = new Promise<AuthResult>((resolve) => {
    timer = setTimeout(() => resolve(result('error', port.port, { code: 'ETIMEDOUT' })), Math.max(1, opts.budgetMs));
  });
  const attempt = transport.verify().then(
    () => result('accepted', port.port),
    (err: unknown) => classify(err, port.port),
  );
  try {
    return await Promise.race([attempt, outOfTime]);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

function classify(err: unknown, port: number): AuthResult {
  const e = err as { code?: string; responseCode?: number; response?: string; message?: string };
  const responseCode = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = serverText(String(e.response ?? e.message ?? '')) || null;
  const more = { response, responseCode, code: e.code ?? null };
  if (e.code === 'EAUTH') {
    if (responseCode === 503) return result('not-offered', port, more);
    if (responseCode === 504) return result('method-mismatch', port, more);
    if (responseCode === null && /mechanism|method/i.test(response ?? '')) return result('method-mismatch', port, more);
    return result('rejected', port, more);
  }
  return result('error', port, more);
}
