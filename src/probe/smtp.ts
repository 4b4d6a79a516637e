/**
 * One port, one explicit phase machine: connect → greeting → EHLO → STARTTLS (or implicit TLS first) → EHLO → QUIT.
 * Raw node:net / node:tls so that every phase has its own timeout and its own outcome; a client library would fold
 * them into one error. It never sends MAIL FROM, RCPT TO or DATA, and it connects to the address it is given
 * (already checked by the guard), so no second DNS lookup can move it elsewhere.
 */
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { redact } from '../engine/redact.js';
import type { CertificateInfo, Phase, PortResult, PortState } from './types.js';

export interface PortTimeouts {
  connectMs: number;
  greetingMs: number;
  /** Each command answer and the TLS handshake. */
  commandMs: number;
}

export interface PortProbeOptions {
  address: string;
  port: number;
  mode: 'implicit' | 'starttls';
  /** Name the certificate must be valid for, and the SNI name when it is not an IP address. */
  hostname: string;
  ehloName: string;
  timeouts: PortTimeouts;
  /** performance.now() value after which every phase gives up, so a port never outlives the whole probe. */
  deadline: number;
  /** Extra trusted CA certificates (PEM), for internal deployments with their own CA. */
  ca?: string[];
  signal?: AbortSignal;
}

interface SmtpReply {
  code: number;
  lines: string[];
}

class PhaseError extends Error {
  constructor(
    readonly phase: Phase,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Large enough for any real EHLO answer, small enough that a hostile server cannot make the bot buffer forever. */
const MAX_REPLY_BYTES = 64 * 1024;
const REPLY_LINE = /^(\d{3})([ -])(.*)$/;

/** Reads SMTP replies from whichever socket is current (plain, then TLS after STARTTLS). */
class Wire {
  private buf = '';
  private replies: SmtpReply[] = [];
  private partial: string[] = [];
  private failure: { code: string; message: string } | null = null;
  private waiter: ((r: SmtpReply | null) => void) | null = null;
  private socket: net.Socket;
  private readonly onData = (d: Buffer) => this.feed(d.toString('latin1'));
  private readonly onEnd = () => this.fail('CLOSED', 'the server closed the connection');
  private readonly onError = (err: Error) => this.fail(codeOf(err), err.message);

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.attach(socket);
  }

  get current(): net.Socket {
    return this.socket;
  }

  private attach(s: net.Socket) {
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.on('close', this.onEnd);
    s.on('error', this.onError);
  }

  /** Stops reading the plain socket before TLS takes it over; anything the server sent early is dropped. */
  detach(): net.Socket {
    const s = this.socket;
    s.off('data', this.onData);
    s.off('end', this.onEnd);
    s.off('close', this.onEnd);
    s.off('error', this.onError);
    this.buf = '';
    this.partial = [];
    this.replies = [];
    return s;
  }

  replace(s: net.Socket) {
    this.socket = s;
    this.failure = null;
    this.attach(s);
  }

  private fail(code: string, message: string) {
    if (!this.failure) this.failure = { code, message };
    this.wake();
  }

  private feed(chunk: string) {
    this.buf += chunk;
    if (this.buf.length > MAX_REPLY_BYTES) return this.fail('REPLY_TOO_LONG', 'the server sent an over-long reply');
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      const m = REPLY_LINE.exec(line) ?? /^(\d{3})()$/.exec(line);
      if (!m) return this.fail('BAD_REPLY', `not an SMTP reply: ${line.slice(0, 80)}`);
      this.partial.push(m[3] ?? '');
      if (m[2] !== '-') {
        this.replies.push({ code: Number(m[1]), lines: this.partial });
        this.partial = [];
      }
    }
    this.wake();
  }

  private wake() {
    if (!this.waiter) return;
    const next = this.replies.shift();
    if (next || this.failure) {
      const w = this.waiter;
      this.waiter = null;
      w(next ?? null);
    }
  }

  read(phase: Phase, ms: number): Promise<SmtpReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new PhaseError(phase, 'TIMEOUT', `no answer within ${ms} ms`));
      }, ms);
      this.waiter = (r) => {
        clearTimeout(timer);
        if (r) resolve(r);
        else reject(new PhaseError(phase, this.failure?.code ?? 'CLOSED', this.failure?.message ?? 'connection closed'));
      };
      this.wake();
    });
  }

  async command(line: string, phase: Phase, ms: number): Promise<SmtpReply> {
    this.socket.write(`${line}\r\n`);
    return this.read(phase, ms);
  }
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'ERROR';
}

function stateOf(code: string): PortState {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'TIMEOUT') return 'timeout';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'unreachable';
  return 'error';
}

function connectTcp(address: string, port: number, ms: number, signal?: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const finish = (err: PhaseError | null) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve(socket);
    };
    const onError = (err: Error) => finish(new PhaseError('connect', codeOf(err), err.message));
    const onAbort = () => finish(new PhaseError('connect', 'ABORTED', 'probe cancelled'));
    const timer = setTimeout(() => finish(new PhaseError('connect', 'TIMEOUT', `no TCP answer within ${ms} ms`)), ms);
    socket.once('connect', () => {
      // Later failures surface through the phase that reads the socket; this keeps a late reset from crashing the process.
      socket.on('error', () => undefined);
      finish(null);
    });
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function handshake(socket: net.Socket, opts: PortProbeOptions, phase: Phase, ms: number): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const sni = net.isIP(opts.hostname) ? undefined : opts.hostname;
    // Certificates are checked in describeCertificate and reported, not enforced: the point is to tell the user what
    // is wrong with them. Node's own name check is switched off because on an upgraded socket it checks against a
    // guessed name (not ours) and would mix its verdict into the chain result.
    const secure = tls.connect({
      socket,
      servername: sni,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    const timer = setTimeout(() => {
      secure.destroy();
      reject(new PhaseError(phase, 'TIMEOUT', `TLS handshake did not finish within ${ms} ms`));
    }, ms);
    secure.once('secureConnect', () => {
      clearTimeout(timer);
      secure.off('error', onError);
      resolve(secure);
    });
    const onError = (err: Error) => {
      clearTimeout(timer);
      secure.destroy();
      reject(new PhaseError(phase, codeOf(err), err.message.split('\n')[0] ?? err.message));
    };
    secure.once('error', onError);
  });
}

function describeCertificate(s: tls.TLSSocket, hostname: string): CertificateInfo | null {
  const cert = s.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return null;
  const name = (x: tls.Certificate | undefined) => {
    if (!x) return '';
    const cn = x.CN;
    const o = x.O;
    return [Array.isArray(cn) ? cn.join(', ') : cn, Array.isArray(o) ? o.join(', ') : o].filter(Boolean).join(' / ');
  };
  const altNames = (cert.subjectaltname ?? '')
    .split(', ')
    .filter(Boolean)
    .map((a) => a.replace(/^DNS:/, '').replace(/^IP Address:/, ''));
  const identity = tls.checkServerIdentity(hostname, cert);
  const chainError = s.authorized ? null : String(s.authorizationError ?? 'UNABLE_TO_VERIFY');
  const error = chainError ?? (identity ? codeOf(identity) : null);
  const validTo = new Date(cert.valid_to);
  return {
    subject: name(cert.subject),
    altNames,
    issuer: name(cert.issuer),
    validTo: Number.isNaN(validTo.getTime()) ? cert.valid_to : validTo.toISOString(),
    valid: error === null,
    error,
  };
}

function parseEhlo(reply: SmtpReply): { capabilities: string[]; auth: string[]; size: number | null } {
  const capabilities: string[] = [];
  const auth = new Set<string>();
  let size: number | null = null;
  for (const line of reply.lines.slice(1)) {
    const [rawKey = '', ...params] = line.trim().split(/\s+/);
    // Old servers advertise "AUTH=LOGIN PLAIN" next to (or instead of) "AUTH LOGIN PLAIN".
    const [key = '', inline] = rawKey.toUpperCase().split('=');
    if (!key) continue;
    if (!capabilities.includes(key)) capabilities.push(key);
    if (key === 'AUTH') for (const m of [inline, ...params]) if (m) auth.add(m.toUpperCase());
    if (key === 'SIZE' && params[0] && /^\d+$/.test(params[0])) size = Number(params[0]);
  }
  return { capabilities, auth: [...auth], size };
}

function banner(reply: SmtpReply): string {
  return redact(reply.lines.join(' ').trim()).slice(0, 300);
}

function blank(opts: PortProbeOptions): PortResult {
  return {
    port: opts.port,
    address: opts.address,
    state: 'open',
    connectMs: null,
    banner: null,
    tls: 'none',
    tlsVersion: null,
    cipher: null,
    capabilities: [],
    capabilitiesBeforeTls: null,
    authMechanisms: [],
    sizeLimit: null,
    certificate: null,
    wrongMode: null,
    error: null,
    durationMs: 0,
  };
}

async function session(opts: PortProbeOptions, mode: 'implicit' | 'starttls'): Promise<PortResult> {
  const t0 = performance.now();
  const result = blank(opts);
  const left = (limit: number) => Math.max(1, Math.min(limit, opts.deadline - performance.now()));
  const { connectMs, greetingMs, commandMs } = opts.timeouts;
  let wire: Wire | null = null;
  let raw: net.Socket | null = null;
  const onAbort = () => (wire?.current ?? raw)?.destroy(Object.assign(new Error('probe cancelled'), { code: 'ABORTED' }));

  const useTls = (s: tls.TLSSocket, kind: 'implicit' | 'starttls') => {
    result.tls = kind;
    result.tlsVersion = s.getProtocol();
    result.cipher = s.getCipher()?.name ?? null;
    result.certificate = describeCertificate(s, opts.hostname);
  };

  try {
    const c0 = performance.now();
    raw = await connectTcp(opts.address, opts.port, left(connectMs), opts.signal);
    result.connectMs = Math.round((performance.now() - c0) * 10) / 10;
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    let socket: net.Socket = raw;
    if (mode === 'implicit') {
      const secure = await handshake(raw, opts, 'tls', left(commandMs));
      useTls(secure, 'implicit');
      socket = secure;
    }
    wire = new Wire(socket);
    const greeting = await wire.read('greeting', left(greetingMs));
    result.banner = banner(greeting);
    if (greeting.code !== 220) throw new PhaseError('greeting', `REPLY_${greeting.code}`, result.banner);

    let ehlo = await wire.command(`EHLO ${opts.ehloName}`, 'ehlo', left(commandMs));
    if (ehlo.code !== 250) throw new PhaseError('ehlo', `REPLY_${ehlo.code}`, redact(ehlo.lines.join(' ')));
    let caps = parseEhlo(ehlo);

    if (mode === 'starttls' && caps.capabilities.includes('STARTTLS')) {
      result.capabilitiesBeforeTls = caps.capabilities;
      const ready = await wire.command('STARTTLS', 'starttls', left(commandMs));
      if (ready.code !== 220) throw new PhaseError('starttls', `REPLY_${ready.code}`, redact(ready.lines.join(' ')));
      const secure = await handshake(wire.detach(), opts, 'tls', left(commandMs));
      useTls(secure, 'starttls');
      wire.replace(secure);
      // Capabilities before TLS are not trusted after it (RFC 3207 section 4.2): ask again.
      ehlo = await wire.command(`EHLO ${opts.ehloName}`, 'ehlo-tls', left(commandMs));
      if (ehlo.code !== 250) throw new PhaseError('ehlo-tls', `REPLY_${ehlo.code}`, redact(ehlo.lines.join(' ')));
      caps = parseEhlo(ehlo);
    }
    result.capabilities = caps.capabilities;
    result.authMechanisms = caps.auth;
    result.sizeLimit = caps.size;

    await wire.command('QUIT', 'quit', left(Math.min(commandMs, 1000))).catch(() => undefined);
  } catch (err) {
    const e = err instanceof PhaseError ? err : new PhaseError('connect', codeOf(err), (err as Error).message);
    result.error = { phase: e.phase, code: e.code, message: redact(e.message).slice(0, 300) };
    if (e.phase === 'connect') result.state = stateOf(e.code);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    wire?.current.destroy();
    raw?.destroy();
  }
  result.durationMs = Math.round(performance.now() - t0);
  return result;
}

/** An answer that says the peer speaks plain SMTP where TLS was tried. */
function spokePlain(r: PortResult): boolean {
  return r.error?.phase === 'tls' && (r.error.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(r.error.message));
}

/** Silence after connecting where a greeting was expected: typical of an implicit-TLS port spoken to in plain text. */
function silentOnPlain(r: PortResult): boolean {
  return r.error?.phase === 'greeting' && r.error.code === 'TIMEOUT';
}

export async function probePort(opts: PortProbeOptions): Promise<PortResult> {
  const first = await session(opts, opts.mode);
  const retryMode = opts.mode === 'implicit' ? (spokePlain(first) ? 'starttls' : null) : silentOnPlain(first) ? 'implicit' : null;
  if (!retryMode || opts.deadline - performance.now() < 50 || opts.signal?.aborted) return first;

  const second = await session(opts, retryMode);
  if (second.error && second.banner === null) return first;
  return {
    ...second,
    connectMs: first.connectMs,
    wrongMode: retryMode === 'starttls' ? 'speaks-plain' : 'speaks-tls',
    durationMs: first.durationMs + second.durationMs,
  };
}
