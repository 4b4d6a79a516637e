/**
 * Child process for hostile-servers.ts: starts every hostile server, prints their ports as one JSON line, then answers
 * each "count" line on stdin with the connections each still holds. Not a test file.
 */
import { createInterface } from 'node:readline';
import { HOSTILE_KINDS, startHostile } from './hostile-servers.js';

const servers = await Promise.all(HOSTILE_KINDS.map(async (kind) => [kind, await startHostile(kind)] as const));
process.stdout.write(`${JSON.stringify(Object.fromEntries(servers.map(([k, s]) => [k, s.port])))}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'count') process.stdout.write(`${JSON.stringify(Object.fromEntries(servers.map(([k, s]) => [k, s.openSockets()])))}\n`);
}
