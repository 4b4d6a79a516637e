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
  /** Clients speak plain text first on this port by convention; default: it is 25, 587 or 2525. */
  plainFirst?: boolean;
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

/**
 * Limits on what one port may make the bot hold. A real EHLO answer is under 2 KB and 30 lines; a hostile server can
 * send endless continuation lines, so a whole reply (all its lines) is capped, as are one line and the replies
 * waiting to be read. Past a limit the socket is destroyed at once, so nothing more is read or kept.
 */
export const LIMITS = {
  replyBytes: 64 * 1024,
  replyLines: 512,
  lineBytes: 4 * 1024,
  queuedReplies: 4,
  /** Capabilities and AUTH mechanisms kept in the report. */
  capabilities: 64,
} as const;

const REPLY_LINE = /^(\d{3})([ -]?)([\s\S]*)$/;

/** Reads SMTP replies from whichever socket is current (plain, then TLS after STARTTLS). */
class Wire {
  /** The unfinished line, in chunks, so that a trickled line is not copied again for every byte. */
  private pending: string[] = [];
  private pendingBytes = 0;
  private replies: SmtpReply[] = [];
  private partial: string[] = [];
  private partialBytes = 0;
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
    this.pending = [];
    this.pendingBytes = 0;
    this.partial = [];
    this.partialBytes = 0;
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

  /** A limit was passed: stop reading for good and drop what was kept. */
  private overflow(message: string) {
    this.fail('OVERSIZED', message);
    this.socket.destroy();
    this.pending = [];
    this.partial = [];
    this.replies = [];
  }

  private feed(chunk: string) {
    if (this.failure) return;
    let from = 0;
    let nl: number;
    while ((nl = chunk.indexOf('\n', from)) >= 0) {
      this.pending.push(chunk.slice(from, nl));
      from = nl + 1;
      const line = this.pending.join('');
      this.pending = [];
      this.pendingBytes = 0;
      if (!this.line(line.endsWith('\r') ? line.slice(0, -1) : line)) return;
    }
    if (from < chunk.length) {
      this.pendingBytes += chunk.length - from;
      if (this.pendingBytes > LIMITS.lineBytes) return this.overflow(`a reply line longer than ${LIMITS.lineBytes} bytes`);
      this.pending.push(chunk.slice(from));
    }
    this.wake();
  }

  /** One complete line; false when reading must stop. */
  private line(line: string): boolean {
    if (line.length > LIMITS.lineBytes) {
      this.overflow(`a reply line longer than ${LIMITS.lineBytes} bytes`);
      return false;
    }
    const m = REPLY_LINE.exec(line);
    if (!m || (m[2] === '' && m[3] !== '')) {
      this.fail('BAD_REPLY', `not an SMTP reply: ${line.slice(0, 80)}`);
      this.socket.destroy();
      return false;
    }
    this.partial.push(m[3] ?? '');
    this.partialBytes += line.length;
    if (this.partial.length > LIMITS.replyLines || this.partialBytes > LIMITS.replyBytes) {
      this.overflow(`a reply longer than ${LIMITS.replyLines} lines or ${LIMITS.replyBytes} bytes`);
      return false;
    }
    if (m[2] !== '-') {
      this.replies.push({ code: Number(m[1]), lines: this.partial });
      this.partial = [];
      this.partialBytes = 0;
      // The probe sends one command at a time; a server answering far ahead of it is flooding.
      if (this.replies.length > LIMITS.queuedReplies) {
        this.overflow(`more than ${LIMITS.queuedReplies} replies nobody asked for`);
        return false;
      }
    }
    return true;
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
    // Names in a certificate are the server's words too: shown without control characters, and only so many.
    return serverText([Array.isArray(cn) ? cn.join(', ') : cn, Array.isArray(o) ? o.join(', ') : o].filter(Boolean).join(' / '));
  };
  const altNames = (cert.subjectaltname ?? '')
    .slice(0, 16_384)
    .split(', ')
    .filter(Boolean)
    .slice(0, 20)
    .map((a) => serverText(a.replace(/^DNS:/, '').replace(/^IP Address:/, '')));
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
  // Sets, not arrays: a hostile server's 40,000 distinct lines must cost linear time, and the report keeps only a few.
  const capabilities = new Set<string>();
  const auth = new Set<string>();
  let size: number | null = null;
  for (const line of reply.lines.slice(1)) {
    const [rawKey = '', ...params] = line.trim().split(/\s+/);
    // Old servers advertise "AUTH=LOGIN PLAIN" next to (or instead of) "AUTH LOGIN PLAIN".
    const [key = '', inline] = rawKey.toUpperCase().split('=');
    if (!key) continue;
    if (capabilities.size < LIMITS.capabilities) capabilities.add(key);
    if (key === 'AUTH') for (const m of [inline, ...params]) if (m && auth.size < LIMITS.capabilities) auth.add(m.toUpperCase());
    if (key === 'SIZE' && params[0] && /^\d{1,15}$/.test(params[0])) size = Number(params[0]);
  }
  return { capabilities: [...capabilities], auth: [...auth], size };
}

/** Control characters (a terminal escape sequence in a banner) never reach a terminal or a chat. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** What a server said, as it may be shown: redacted, without control characters, short. */
export function serverText(text: string): string {
  return redact(text.replace(CONTROL, ' ').trim()).slice(0, 300);
}

function banner(reply: SmtpReply): string {
  return serverText(reply.lines.join(' '));
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

/** How one session tells the race between plain and implicit TLS (probePort) what it has seen. */
interface SessionHooks {
  onConnected?: (connectMs: number) => void;
  /** The port speaks this mode: a first byte in plain text, or a finished TLS handshake. */
  onSpoke?: () => void;
  /** performance.now() by which the handshake and greeting must have come (they share one greeting timeout). */
  greetingBy?: number;
}

async function session(opts: PortProbeOptions, mode: 'implicit' | 'starttls', hooks: SessionHooks = {}): Promise<PortResult> {
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
    if (opts.signal?.aborted) throw new PhaseError('connect', 'ABORTED', 'probe cancelled');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    hooks.onConnected?.(performance.now() - c0);
    // In the race beside a plain connection, handshake and greeting share that connection's greeting timeout.
    const shared = hooks.greetingBy;
    const untilGreeting = () => (shared === undefined ? left(greetingMs) : left(shared - performance.now()));

    let socket: net.Socket = raw;
    if (mode === 'implicit') {
      const secure = await handshake(raw, opts, 'tls', shared === undefined ? left(commandMs) : Math.min(left(commandMs), untilGreeting()));
      useTls(secure, 'implicit');
      hooks.onSpoke?.();
      socket = secure;
    } else if (hooks.onSpoke) {
      raw.once('data', hooks.onSpoke);
    }
    wire = new Wire(socket);
    const greeting = await wire.read('greeting', untilGreeting());
    result.banner = banner(greeting);
    if (greeting.code !== 220) throw new PhaseError('greeting', `REPLY_${greeting.code}`, result.banner);

    let ehlo = await wire.command(`EHLO ${opts.ehloName}`, 'ehlo', left(commandMs));
    if (ehlo.code !== 250) throw new PhaseError('ehlo', `REPLY_${ehlo.code}`, serverText(ehlo.lines.join(' ')));
    let caps = parseEhlo(ehlo);

    if (mode === 'starttls' && caps.capabilities.includes('STARTTLS')) {
      result.capabilitiesBeforeTls = caps.capabilities;
      const ready = await wire.command('STARTTLS', 'starttls', left(commandMs));
      if (ready.code !== 220) throw new PhaseError('starttls', `REPLY_${ready.code}`, serverText(ready.lines.join(' ')));
      const secure = await handshake(wire.detach(), opts, 'tls', left(commandMs));
      useTls(secure, 'starttls');
      wire.replace(secure);
      // Capabilities before TLS are not trusted after it (RFC 3207 section 4.2): ask again.
      ehlo = await wire.command(`EHLO ${opts.ehloName}`, 'ehlo-tls', left(commandMs));
      if (ehlo.code !== 250) throw new PhaseError('ehlo-tls', `REPLY_${ehlo.code}`, serverText(ehlo.lines.join(' ')));
      caps = parseEhlo(ehlo);
    }
    result.capabilities = caps.capabilities;
    result.authMechanisms = caps.auth;
    result.sizeLimit = caps.size;

    // Said, not waited for: the server's 221 tells nothing, and a round trip per port is what a probe costs on a fast network.
    wire.current.write('QUIT\r\n');
  } catch (err) {
    const e = err instanceof PhaseError ? err : new PhaseError('connect', codeOf(err), (err as Error).message);
    result.error = { phase: e.phase, code: e.code, message: serverText(e.message) };
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

/** Ports where clients speak plain text first by convention (RFC 5321, RFC 6409, and 2525 as providers use it). */
const PLAIN_FIRST_PORTS: readonly number[] = [25, 587, 2525];

/**
 * How long the plain connection may stay silent before an implicit-TLS attempt starts beside it. On a plain-first
 * port a server that greets within a few round trips never sees a second connection; on any other port there is no
 * convention to respect, so both start at once.
 */
function earlyTlsMs(opts: PortProbeOptions, connectMs: number): number {
  if (!(opts.plainFirst ?? PLAIN_FIRST_PORTS.includes(opts.port))) return 0;
  const greetingMs = opts.timeouts.greetingMs;
  return Math.min(greetingMs, Math.max(50, connectMs * 4));
}

function linkedAbort(parent: AbortSignal | undefined): { controller: AbortController; dispose: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  return { controller, dispose: () => parent?.removeEventListener('abort', onAbort) };
}

/**
 * A port where clients expect plain text first (25, 587, 2525) may still speak TLS from the first byte. Waiting out a
 * greeting timeout before trying TLS would make a silent port cost its timeout twice, so when the plain connection
 * stays silent a moment, TLS is tried on a second connection at once; both share one greeting deadline, the first to
 * hear the server wins and the other is closed. A server that greets promptly never sees the second connection.
 */
async function raceModes(opts: PortProbeOptions): Promise<PortResult> {
  const t0 = performance.now();
  const plainStop = linkedAbort(opts.signal);
  const tlsStop = linkedAbort(opts.signal);
  let spoke: 'plain' | 'tls' | null = null;
  let tlsJob: Promise<PortResult> | null = null;
  let early: NodeJS.Timeout | undefined;
  let greetingBy = Infinity;

  const startTls = () => {
    if (spoke || tlsJob) return;
    tlsJob = session({ ...opts, signal: tlsStop.controller.signal }, 'implicit', {
      greetingBy,
      onSpoke: () => {
        if (spoke) return;
        spoke = 'tls';
        plainStop.controller.abort();
      },
    });
  };
  try {
    const plain = await session({ ...opts, signal: plainStop.controller.signal }, 'starttls', {
      onConnected: (connectMs) => {
        greetingBy = performance.now() + opts.timeouts.greetingMs;
        early = setTimeout(startTls, earlyTlsMs(opts, connectMs));
      },
      onSpoke: () => {
        if (spoke) return;
        spoke = 'plain';
        clearTimeout(early);
        tlsStop.controller.abort();
      },
    });
    clearTimeout(early);
    if (spoke !== 'tls') {
      tlsStop.controller.abort();
      if (tlsJob) await tlsJob;
      if (spoke === 'plain' || !tlsJob) return plain;
    }
    const secure = await (tlsJob as Promise<PortResult> | null ?? Promise.resolve(null));
    if (!secure || secure.banner === null) return plain;
    return { ...secure, connectMs: plain.connectMs, wrongMode: 'speaks-tls', durationMs: Math.round(performance.now() - t0) };
  } finally {
    clearTimeout(early);
    plainStop.dispose();
    tlsStop.dispose();
  }
}

export async function probePort(opts: PortProbeOptions): Promise<PortResult> {
  if (opts.mode === 'starttls') return raceModes(opts);
  const first = await session(opts, 'implicit');
  if (!spokePlain(first) || opts.deadline - performance.now() < 50 || opts.signal?.aborted) return first;
  const second = await session(opts, 'starttls');
  if (second.error && second.banner === null) return first;
  return { ...second, connectMs: first.connectMs, wrongMode: 'speaks-plain', durationMs: first.durationMs + second.durationMs };
}
