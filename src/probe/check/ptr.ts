/**
 * Reverse DNS of a sending IP and its forward confirmation (FCrDNS): the PTR name must resolve back to the same
 * address. Gmail requires both of every sender (Email sender guidelines, support.google.com/a/answer/81126,
 * checked 2026-12-07); many other receivers refuse mail without a PTR.
 */
import ipaddr from 'ipaddr.js';
import type { Asker } from './lookup.js';
import type { IpRecords } from './types.js';

export async function checkPtr(address: string, dns: Asker): Promise<IpRecords['ptr']> {
  const reverse = await dns.ask((r) => r.reverse(address));
  if (reverse.kind === 'failed') return { names: [], forwardConfirmed: false, error: reverse.code };
  if (reverse.kind === 'none') return { names: [], forwardConfirmed: false, error: null };
  const names = reverse.value.map((n) => n.replace(/\.$/, '').toLowerCase());
  const v6 = address.includes(':');
  const wanted = ipaddr.parse(address).toString();
  const forward = await Promise.all(names.slice(0, 3).map((n) => dns.ask((r) => (v6 ? r.resolve6(n) : r.resolve4(n)))));
  const forwardConfirmed = forward.some((f) => f.kind === 'ok' && f.value.some((a) => ipaddr.isValid(a) && ipaddr.parse(a).toString() === wanted));
  return { names, forwardConfirmed, error: null };
}
