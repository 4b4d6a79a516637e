/**
 * A loopback port that silently drops packets, for "a firewall eats the SYN" cases. Node cannot make one by itself
 * (libuv accepts every connection), so the probe runs in a network namespace of its own whose loopback has an
 * iptables DROP rule: the namespace dies with the process, nothing to clean up, and no packet leaves the machine.
 */
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BlackholeScenario {
  /** Port whose packets are dropped inside the namespace. */
  dropPort: number;
  /** Ports where a STARTTLS smtp-server listens inside the namespace. */
  listenPorts: number[];
  /** Ports the probe is asked to test (on 127.0.0.1). */
  probePorts: number[];
  timeouts: { connectMs: number; greetingMs: number; commandMs: number; totalMs: number };
}

export interface BlackholeRun {
  /** Wall time of the probe itself, measured inside the child. */
  probeMs: number;
  report: import('../../src/probe/types.js').ProbeReport;
}

const CHILD = fileURLToPath(new URL('./blackhole-child.ts', import.meta.url));

function unshareArgs(): string[] {
  // As root a plain network namespace is enough; otherwise a user namespace gives the rights iptables needs.
  return process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
}

let support: { ok: true } | { ok: false; why: string } | undefined;

/** Whether this machine can run the black-hole fixture; the reason when it cannot. */
export function blackholeSupport(): { ok: true } | { ok: false; why: string } {
  if (support) return support;
  try {
    execFileSync('unshare', [...unshareArgs(), 'sh', '-c', 'ip link set lo up && iptables -A INPUT -p tcp --dport 9 -j DROP'], {
      stdio: 'pipe',
      timeout: 5000,
    });
    support = { ok: true };
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    support = { ok: false, why: `unshare -n + iptables unavailable: ${stderr || (err as Error).message}` };
  }
  return support;
}

export function runBlackholed(scenario: BlackholeScenario): Promise<BlackholeRun> {
  const script = `ip link set lo up && iptables -A INPUT -p tcp --dport ${scenario.dropPort} -j DROP && exec "$0" "$@"`;
  const child = spawn('unshare', [...unshareArgs(), 'sh', '-c', script, process.execPath, '--import', 'tsx', CHILD], {
    env: { ...process.env, BLACKHOLE_SCENARIO: JSON.stringify(scenario) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`black-hole child exited ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out) as BlackholeRun);
      } catch {
        reject(new Error(`black-hole child printed no JSON: ${out.slice(0, 200)} ${err.slice(0, 200)}`));
      }
    });
  });
}
