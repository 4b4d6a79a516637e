/**
 * DNS questions of the checks, each bounded in time whatever the resolver does, and answered as a value: the records,
 * "there are none" (NXDOMAIN or no data), or the failure that means the check could not tell.
 */
import { parse as parseDomain } from 'tldts';
import { errorCode, type DnsResolver } from '../resolve.js';

/** `none.code`: ENOTFOUND (the name does not exist) or ENODATA (it exists without records of this type). */
export type Answer<T> = { kind: 'ok'; value: T } | { kind: 'none'; code: 'ENOTFOUND' | 'ENODATA' } | { kind: 'failed'; code: string };

export interface Asker {
  resolver: DnsResolver;
  ask<T>(query: (r: DnsResolver) => Promise<T>): Promise<Answer<T>>;
}

/** `left()` is the time the whole check has left: a lookup started late gets only that. */
export function asker(resolver: DnsResolver, lookupMs: number, left: () => number): Asker {
  return {
    resolver,
    async ask(query) {
      let timer: NodeJS.Timeout | undefined;
      const ms = Math.max(1, Math.min(lookupMs, left()));
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), ms);
      });
      try {
        const value = await Promise.race([query(resolver), timeout]);
        if (Array.isArray(value) && value.length === 0) return { kind: 'none', code: 'ENODATA' };
        return { kind: 'ok', value };
      } catch (err) {
        const code = errorCode(err);
        if (code === 'ENOTFOUND' || code === 'ENODATA') return { kind: 'none', code };
        return { kind: 'failed', code };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** TXT strings of one record are one text (RFC 7208 section 3.3, RFC 6376 section 3.6.2.2). */
export function joinTxt(records: string[][]): string[] {
  return records.map((parts) => parts.join(''));
}

/**
 * Names under a public suffix (the ICANN part of the public suffix list), and RFC 6761's .test for tests. Anything
 * else (.corp, .local, .internal, home.arpa, the reverse zones) lives only in an internal DNS, whose records a chat
 * user must not be able to read through the bot.
 */
export function isPublicName(host: string): boolean {
  const tld = host.slice(host.lastIndexOf('.') + 1);
  if (tld === 'test') return true;
  return tld !== 'arpa' && parseDomain(host).isIcann === true;
}
