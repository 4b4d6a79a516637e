/**
 * SMTP servers an attacker would run, on 127.0.0.1, for the probe's limits: a banner that never ends, an EHLO answer of
 * 40,000 distinct lines, a greeting trickled a byte at a time, TLS garbage, a flood of unasked replies, silence.
 * They run in a child process (hostile-child.ts) so that what the test process measures (RSS, heap, open sockets) is
 * the probe's own cost, not the servers' write buffers. Every writer waits for 'drain', so no server outruns its peer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const HOSTILE_KINDS = ['endless-banner', 'paced-banner', 'ehlo-flood', 'paced-ehlo', 'trickle', 'garbage-tls', 'reply-flood', 'never-speaks', 'long-line'] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

export interface HostileServer {
  port: number;
  close(): Promise<void>;
}

/** Writes lines from `next` as fast as the peer reads them, until it returns null or the socket closes. */
function pump(s: net.Socket, next: () => string | null): void {
  const go = () => {
    for (;;) {
      if (s.destroyed) return;
      const chunk = next();
      if (chunk === null) return;
      if (!s.write(chunk)) return void s.once('drain', go);
    }
  };
  go();
}

/** Writes `perTick` lines every millisecond, so that the peer reads many small chunks (as the issue measured). */
function paced(s: net.Socket, perTick: number, line: (i: number) => string | null): void {
  let i = 0;
  const timer = setInterval(() => {
    if (s.destroyed || s.writableNeedDrain) return;
    const batch: string[] = [];
    for (let k = 0; k < perTick; k++) {
      const l = line(i++);
      if (l === null) {
        clearInterval(timer);
        break;
      }
      batch.push(l);
    }
    if (batch.length > 0) s.write(batch.join(''));
  }, 1);
  s.on('close', () => clearInterval(timer));
}

function onConnection(kind: HostileKind, s: net.Socket): void {
  // Reading (and dropping) what the probe sends is what lets the server see the probe hang up.
  if (kind !== 'ehlo-flood' && kind !== 'paced-ehlo') s.resume();
  switch (kind) {
    case 'endless-banner': {
      let i = 0;
      // 64 lines a write: a few KB a chunk, as fast as the probe reads.
      pump(s, () => Array.from({ length: 64 }, () => `220-banner line ${i++} ${'x'.repeat(40)}\r\n`).join(''));
      return;
    }
    case 'paced-banner':
      // 256 continuation lines a millisecond: 140 MB in a 10 s greeting timeout for a reader that caps lines only.
      paced(s, 256, (i) => `220-banner line ${i}\r\n`);
      return;
    case 'paced-ehlo':
      // 40,000 distinct 64-byte capability lines at 128 a millisecond, then the last line.
      s.write('220 flood.example.test ESMTP\r\n');
      s.once('data', () => paced(s, 128, (i) => (i < 40_000 ? `250-X${String(i).padStart(8, '0')}${'Y'.repeat(53)}\r\n` : i === 40_000 ? '250 OK\r\n' : null)));
      return;
    case 'ehlo-flood': {
      s.write('220 flood.example.test ESMTP\r\n');
      s.once('data', () => {
        let i = 0;
        pump(s, () => {
          if (i >= 40_000) return i++ === 40_000 ? '250 OK\r\n' : null;
          const batch: string[] = [];
          for (let k = 0; k < 64 && i < 40_000; k++, i++) batch.push(`250-X${String(i).padStart(8, '0')}${'Y'.repeat(50)}\r\n`);
          return batch.join('');
        });
      });
      return;
    }
    case 'trickle': {
      const text = `220-${'slow '.repeat(10_000)}`;
      let i = 0;
      const timer = setInterval(() => {
        if (s.destroyed) return clearInterval(timer);
        s.write(text.charAt(i++ % text.length));
      }, 5);
      s.on('close', () => clearInterval(timer));
      return;
    }
    case 'garbage-tls':
      // Random bytes whatever the client says: neither a TLS record nor an SMTP line.
      pump(s, () => randomBytes(4096).toString('latin1'));
      return;
    case 'reply-flood':
      pump(s, () => '220 ok\r\n'.repeat(256));
      return;
    case 'long-line':
      pump(s, () => `220 ${'z'.repeat(8192)}`);
      return;
    case 'never-speaks':
      return;
  }
}

/** Starts one hostile server in this process (the child uses it; tests use startHostileChild). */
export async function startHostile(kind: HostileKind): Promise<HostileServer & { openSockets(): number }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onConnection(kind, s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const CHILD = fileURLToPath(new URL('./hostile-child.ts', import.meta.url));

export interface HostileChild {
  ports: Record<HostileKind, number>;
  /** Connections the servers still hold open (the probe must have closed every one). */
  openSockets(): Promise<Record<HostileKind, number>>;
  close(): Promise<void>;
}

/** Every hostile server in one child process; asks it over stdin/stdout how many connections are still open. */
export function startHostileChild(): Promise<HostileChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = '';
  const waiters: ((line: string) => void)[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      waiters.shift()?.(line);
    }
  });
  const next = () => new Promise<string>((resolve) => waiters.push(resolve));
  return next().then((first) => ({
    ports: JSON.parse(first) as Record<HostileKind, number>,
    async openSockets() {
      const answer = next();
      child.stdin?.write('count\n');
      return JSON.parse(await answer) as Record<HostileKind, number>;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill();
      }),
  }));
}
