/**
 * Fetches a file a user shared, from the platform's own file host only (Slack's files host, Discord's CDN, or the
 * host of the configured API URL in tests and behind proxies) — never from an address a message merely contains —
 * with a size cap enforced while reading, and no redirects followed.
 */
import { MAX_FILE_BYTES } from '../files/text-file.js';

export type Download = { ok: true; bytes: Uint8Array; contentType: string } | { ok: false; problem: 'too-large' | 'unavailable' | 'refused' };

export interface DownloadOptions {
  /** Host names (lower case) files may come from. */
  hosts: readonly string[];
  headers?: Record<string, string>;
  maxBytes?: number;
  timeoutMs?: number;
}

/** Whether `url` points at one of the platform's file hosts: https, or plain http only to a configured (test) host. */
export function allowedFileUrl(url: string, hosts: readonly string[], plainHttpHosts: readonly string[] = []): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  // host is name:port when a port is given: a configured API on 127.0.0.1:3000 allows that server, not every local port.
  const host = u.host.toLowerCase();
  if (u.protocol === 'https:') return hosts.includes(host);
  return u.protocol === 'http:' && plainHttpHosts.includes(host);
}

/** The host (and port) of a configured API URL (SLACK_API_URL, DISCORD_API_URL), which then serves files too. */
export function hostOf(url: string | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).host.toLowerCase()];
  } catch {
    return [];
  }
}

export async function download(url: string, options: DownloadOptions & { plainHttpHosts?: readonly string[] }): Promise<Download> {
  if (!allowedFileUrl(url, options.hosts, options.plainHttpHosts)) return { ok: false, problem: 'refused' };
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  let res: Response;
  try {
    res = await fetch(url, { headers: options.headers ?? {}, redirect: 'manual', signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  } catch {
    return { ok: false, problem: 'unavailable' };
  }
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel();
    return { ok: false, problem: 'unavailable' };
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > max) {
    await res.body.cancel();
    return { ok: false, problem: 'too-large' };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += chunk.byteLength;
      if (size > max) {
        await res.body.cancel().catch(() => undefined);
        return { ok: false, problem: 'too-large' };
      }
      chunks.push(chunk);
    }
  } catch {
    return { ok: false, problem: 'unavailable' };
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { ok: true, bytes, contentType: res.headers.get('content-type') ?? '' };
}
