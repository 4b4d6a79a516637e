/**
 * Real SMTP stand-ins on 127.0.0.1 for the probe tests: smtp-server instances (STARTTLS, implicit TLS, AUTH), a TCP
 * server that never greets, one that hangs up at once, one that greets at once, and a port nobody listens on. Nothing
 * binds beyond loopback.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';

export interface TestCert {
  key: string;
  cert: string;
}

export interface Running {
  port: number;
  /** TCP connections accepted so far, to prove that a refused probe sent nothing. */
  readonly connections: number;
  close(): Promise<void>;
}

const certs = new Map<string, Promise<TestCert>>();

/** A self-signed certificate for the names (DNS or IP); `expired` makes one whose validity ended yesterday. */
export function testCert(names: string[], opts: { expired?: boolean } = {}): Promise<TestCert> {
  const id = `${names.join(',')}|${opts.expired ? 'expired' : 'ok'}`;
  let p = certs.get(id);
  if (!p) {
    const day = 86_400_000;
    p = generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
      keySize: 2048,
      ...(opts.expired ? { notBeforeDate: new Date(Date.now() - 10 * day), notAfterDate: new Date(Date.now() - day) } : {}),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'subjectAltName', altNames: names.map((n) => (net.isIP(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })) },
      ],
    }).then((r) => ({ key: r.private, cert: r.cert }));
    certs.set(id, p);
  }
  return p;
}

export interface SmtpOptions {
  cert: TestCert;
  /** Implicit TLS from the first byte (port 465 style). */
  secure?: boolean;
  /** Leave STARTTLS out of the EHLO answer (a server without TLS). */
  noStartTls?: boolean;
  /** No AUTH command at all (a relay-only or MX server). */
  noAuth?: boolean;
  /** Require AUTH and accept only this user and password. */
  auth?: { user: string; pass: string; methods?: string[] };
  banner?: string;
  /** Never answer AUTH (a server stuck in its password back end). */
  stallAuth?: boolean;
  /** Reject AUTH quoting the user name and password it was sent (a hostile or careless server). */
  echoCredentials?: boolean;
}

export interface RunningSmtp extends Running {
  /** Every user name an AUTH attempt carried, to prove a password was (or was not) sent. */
  authAttempts: string[];
  /** Commands other than EHLO/STARTTLS/AUTH/QUIT reaching the server would mean the probe sent mail. */
  mailCommands: number;
}

/** Port 0 picks a free one; the black-hole fixture passes fixed ports inside its own namespace. */
export async function startSmtp(opts: SmtpOptions, port = 0): Promise<RunningSmtp> {
  const authAttempts: string[] = [];
  const state = { mailCommands: 0, connections: 0 };
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    key: opts.cert.key,
    cert: opts.cert.cert,
    secure: opts.secure ?? false,
    ...(opts.banner ? { banner: opts.banner } : {}),
    hideSTARTTLS: opts.noStartTls ?? false,
    ...(opts.noAuth ? { disabledCommands: ['AUTH'] } : {}),
    authOptional: !opts.auth,
    authMethods: opts.auth?.methods ?? ['PLAIN', 'LOGIN'],
    // Like real submission servers: AUTH only over TLS, so a probe must STARTTLS before it sees AUTH.
    allowInsecureAuth: false,
    onAuth(auth, _session, cb) {
      authAttempts.push(auth.username ?? '');
      if (opts.stallAuth) return;
      if (opts.echoCredentials) {
        const b64 = Buffer.from(`\0${auth.username ?? ''}\0${auth.password ?? ''}`).toString('base64');
        return cb(Object.assign(new Error(`5.7.8 credentials ${auth.username ?? ''}:${auth.password ?? ''} rejected (${b64})`), { responseCode: 535 }));
      }
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) cb(null, { user: auth.username });
      else cb(new Error('Invalid username or password'));
    },
    onConnect(_s, cb) {
      state.connections++;
      cb();
    },
    onMailFrom(_a, _s, cb) {
      state.mailCommands++;
      cb();
    },
    onRcptTo(_a, _s, cb) {
      state.mailCommands++;
      cb();
    },
    onData(stream, _s, cb) {
      state.mailCommands++;
      stream.resume();
      stream.on('end', () => cb());
    },
  });
  // Without a listener, a plain client giving up on the implicit-TLS port crashes the test process.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    authAttempts,
    get mailCommands() {
      return state.mailCommands;
    },
    get connections() {
      return state.connections;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startRaw(onConnection: (s: net.Socket) => void): Promise<Running> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts connections and says nothing: what a client reports as "Greeting never received". */
export function startSilent(): Promise<Running> {
  return startRaw(() => undefined);
}

/** Accepts and closes at once, like a server at its connection limit or refusing the client's address. */
export function startHangup(): Promise<Running> {
  return startRaw((s) => s.destroy());
}

/**
 * A server that greets at once, as Postfix does, for timing a client (smtp-server holds every greeting 100 ms to catch
 * clients that talk first, which would hide most of a client's own start-up). It knows EHLO, STARTTLS and QUIT only.
 */
export function startPrompt(opts: { cert: TestCert; secure?: boolean }): Promise<Running> {
  const context = tls.createSecureContext({ key: opts.cert.key, cert: opts.cert.cert });
  const secured = (s: net.Socket) => {
    const t = new tls.TLSSocket(s, { isServer: true, secureContext: context });
    t.on('error', () => undefined);
    return t;
  };
  const converse = (s: net.Socket, secure: boolean) => {
    let pending = '';
    const onData = (d: Buffer) => {
      pending += d.toString('latin1');
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim().toUpperCase();
        pending = pending.slice(nl + 1);
        if (line.startsWith('EHLO ')) s.write(`250-prompt.test\r\n${secure ? '' : '250-STARTTLS\r\n'}250 8BITMIME\r\n`);
        else if (line === 'QUIT') return void s.end('221 2.0.0 Bye\r\n');
        else if (line === 'STARTTLS' && !secure) {
          s.off('data', onData);
          s.write('220 2.0.0 Ready to start TLS\r\n');
          return converse(secured(s), true);
        } else s.write('502 5.5.2 Command not implemented\r\n');
      }
    };
    s.on('data', onData);
  };
  return startRaw((s) => {
    if (!opts.secure) {
      s.write('220 prompt.test ESMTP\r\n');
      return converse(s, false);
    }
    const t = secured(s);
    t.once('secure', () => {
      t.write('220 prompt.test ESMTP\r\n');
      converse(t, true);
    });
  });
}

/** A loopback port with nothing listening on it (the kernel answers with a reset: ECONNREFUSED). */
export async function closedPort(): Promise<number> {
  const r = await startRaw(() => undefined);
  await r.close();
  return r.port;
}
