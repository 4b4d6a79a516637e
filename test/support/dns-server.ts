/**
 * A DNS server on 127.0.0.1 (dns2) answering from a small zone, so probe tests resolve `.test` names without the
 * system resolver. UDP and TCP share one port because c-ares retries truncated answers over TCP on the same port.
 * dns2 3.0.0's typings are incomplete (no Packet.RCODE, answers need toBuffer), hence the casts kept here.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import dns2 from 'dns2';
import { createResolver, type ProbeResolver } from '../../src/probe/resolve.js';

export type ZoneRecord =
  | { type: 'A' | 'AAAA'; address: string }
  | { type: 'MX'; exchange: string; priority: number }
  | { type: 'PTR'; domain: string }
  | { type: 'TXT'; data: string | string[] };

export type Zone = Record<string, ZoneRecord[]>;

export interface RunningDns {
  port: number;
  /** `127.0.0.1:PORT`, as DNS_SERVERS and --dns take it. */
  server: string;
  /** Every question received, as `name TYPE`, in order: proof that lookups came here and nowhere else. */
  queries: string[];
  resolver(timeoutMs?: number): ProbeResolver;
  /** Names whose lookups never get an answer (to test DNS timeouts). */
  silence(name: string): void;
  /** Names answered with SERVFAIL. */
  servfail(name: string): void;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export async function startDns(zone: Zone): Promise<RunningDns> {
  const { Packet } = dns2;
  const P = Packet as any;
  const silent = new Set<string>();
  const failing = new Set<string>();
  const queries: string[] = [];
  const typeName = (t: number) => Object.keys(P.TYPE).find((k) => P.TYPE[k] === t);
  const server = dns2.createServer({
    udp: true,
    tcp: true,
    handle(req: any, send: any) {
      const res: any = P.createResponseFromRequest(req);
      const q = req.questions[0];
      const name = String(q.name).toLowerCase().replace(/\.$/, '');
      queries.push(`${name} ${typeName(q.type) ?? q.type}`);
      if (silent.has(name)) return;
      if (failing.has(name)) {
        res.header.rcode = P.RCODE.SERVFAIL;
        return send(res);
      }
      const records = (zone[name] ?? []).filter((r) => r.type === typeName(q.type));
      if (!(name in zone)) res.header.rcode = P.RCODE.NXDOMAIN;
      for (const r of records) {
        const { type: _type, ...data } = r;
        res.answers.push({ name: q.name, type: q.type, class: P.CLASS.IN, ttl: 60, ...data });
      }
      send(res);
    },
  } as any);
  const port = await freePort();
  await (server as any).listen({ udp: { port, address: '127.0.0.1' }, tcp: { port, address: '127.0.0.1' } });
  return {
    port,
    server: `127.0.0.1:${port}`,
    queries,
    resolver: (timeoutMs = 500) => createResolver({ timeoutMs, tries: 1, servers: [`127.0.0.1:${port}`] }),
    silence: (name) => silent.add(name),
    servfail: (name) => failing.add(name),
    close: async () => {
      await (server as any).close();
    },
  };
}
