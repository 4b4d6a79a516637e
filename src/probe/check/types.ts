/**
 * Shapes of the sender-side checks (DNS only, no SMTP connection). A report is plain data: `smtp-doctor check --json`
 * prints it with each message in one language; chat replies are built from it in either.
 */
import type { CategoryId, Text } from '../../engine/types.js';
import type { MxHost } from '../types.js';

export type CheckSeverity = 'error' | 'warning' | 'info';

export interface CheckFinding {
  /** Stable id (README, "Sender checks"): `spf-missing`, `listed:zen.spamhaus.org` ... */
  id: string;
  severity: CheckSeverity;
  category: CategoryId;
  /** The knowledge entry whose explanation and fix apply. */
  entry: string;
  message: Text;
}

export interface SpfRecords {
  /** The SPF record in force (the first when there are several), or null. */
  record: string | null;
  /** Every TXT record at the domain that starts with v=spf1. */
  records: string[];
  /** Terms that cost a DNS lookup (include, a, mx, ptr, exists, redirect), counted through includes and redirects. */
  lookups: number;
  /** The qualifier of the `all` that ends the evaluation (after redirects), or null when there is none. */
  all: '+' | '-' | '~' | '?' | null;
  includes: string[];
}

export interface DmarcRecords {
  record: string | null;
  /** Where the record was found: the domain itself or its organisational domain (RFC 7489 section 6.6.3). */
  at: string | null;
  policy: string | null;
  subdomainPolicy: string | null;
  reports: boolean;
  aspf: 'r' | 's';
  adkim: 'r' | 's';
}

export interface DkimKey {
  selector: string;
  domain: string;
  /** A key is published (a non-empty p=). */
  found: boolean;
  /** The key exists but is revoked (empty p=). */
  revoked: boolean;
}

export type RequirementStatus = 'pass' | 'fail' | 'manual';

export interface Requirement {
  id: 'spf-or-dkim' | 'spf-and-dkim' | 'dmarc' | 'alignment' | 'ptr' | 'tls' | 'unsubscribe' | 'spam-rate';
  /** Who it applies to under the 2024 rules: every sender, or bulk senders (about 5,000 a day to Gmail). */
  scope: 'all' | 'bulk';
  status: RequirementStatus;
}

export interface DomainRecords {
  mx: MxHost[] | null;
  nullMx: boolean;
  spf: SpfRecords;
  dmarc: DmarcRecords;
  dkim: { source: 'header' | 'common'; keys: DkimKey[] };
  requirements: Requirement[];
  /** The DNS servers asked. */
  resolver: string[];
}

export interface DnsblResult {
  zone: string;
  name: string;
  listed: boolean;
  /** The A records the list answered (127.0.0.x), each a documented meaning. */
  codes: string[];
  /** Why the answer says nothing: a DNS failure, or the list's own error code (127.255.255.254 ...). */
  error: string | null;
}

export interface IpRecords {
  ptr: { names: string[]; forwardConfirmed: boolean; error: string | null };
  dnsbl: DnsblResult[];
  resolver: string[];
}

export interface CheckReport {
  target: string;
  kind: 'domain' | 'ip';
  records: DomainRecords | IpRecords;
  findings: CheckFinding[];
  durationMs: number;
}
