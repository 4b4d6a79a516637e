/**
 * Shapes shared by the probe modules and by everything that shows a probe (CLI, chat adapters, renderers).
 * Reports are plain data so they can be printed as JSON as they are; no field ever holds a credential.
 */
import type { CategoryId, Text } from '../engine/types.js';

export type TargetKind = 'address' | 'name' | 'ip';

export interface ProbeTarget {
  /** What the user asked about, normalised (an address is kept as its domain only). */
  input: string;
  kind: TargetKind;
  /** ASCII (punycode) host name or IP address, without a trailing dot. */
  host: string;
  /** The name as the user wrote it when it was an IDN, for display. */
  unicode?: string;
  /** A port named in the target (`host:587`, `smtp://host:2525`). */
  port?: number;
}

export type ProbeRefusalReason =
  | 'empty'
  | 'too-long'
  | 'invalid'
  | 'single-label'
  | 'unsupported-scheme'
  | 'credentials-in-target'
  | 'numeric-trick'
  | 'invalid-port'
  | 'port-not-allowed'
  | 'address-not-allowed'
  | 'rate-limited'
  | 'busy'
  /** A sender check of a name outside public DNS (.corp, .local, home.arpa ...): its records are internal. */
  | 'name-not-public';

export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'carrier-grade-nat'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'unique-local'
  | 'metadata'
  | 'invalid';

export interface ProbeRefusal {
  reason: ProbeRefusalReason;
  /** Values for the message: the port, the address class, seconds to wait ... */
  detail: { port?: number; address?: string; addressClass?: AddressClass; retryAfterSec?: number; host?: string };
}

export type PortState = 'open' | 'refused' | 'timeout' | 'unreachable' | 'error';

export type Phase = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'tls' | 'ehlo-tls';

export interface CertificateInfo {
  subject: string;
  altNames: string[];
  issuer: string;
  validTo: string;
  /** Trusted chain, valid now and issued for the host name that was asked for. */
  valid: boolean;
  /** OpenSSL / Node code of the first problem: DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID ... */
  error: string | null;
}

export interface PortResult {
  port: number;
  address: string;
  state: PortState;
  connectMs: number | null;
  /** The 220 greeting, redacted and trimmed. */
  banner: string | null;
  tls: 'implicit' | 'starttls' | 'none';
  tlsVersion: string | null;
  cipher: string | null;
  /** EHLO keywords as last seen (after TLS when TLS started), upper case, without parameters. */
  capabilities: string[];
  /** EHLO keywords before STARTTLS; servers often offer AUTH only after it. */
  capabilitiesBeforeTls: string[] | null;
  authMechanisms: string[];
  sizeLimit: number | null;
  certificate: CertificateInfo | null;
  /**
   * The port speaks the other TLS mode than the one clients use on it: `speaks-plain` (465 answering in plain text)
   * or `speaks-tls` (25/587 that only talk TLS from the first byte). The other fields describe the mode that worked.
   */
  wrongMode: 'speaks-plain' | 'speaks-tls' | null;
  error: { phase: Phase; code: string; message: string } | null;
  durationMs: number;
}

export interface MxHost {
  exchange: string;
  priority: number;
}

export interface PtrResult {
  address: string;
  names: string[];
  /** One of the names resolves back to the address (forward-confirmed reverse DNS). */
  forwardConfirmed: boolean;
  error: string | null;
}

export interface ResolutionResult {
  host: string | null;
  addresses: string[];
  mx: MxHost[] | null;
  nullMx: boolean;
  /** The domain had no MX, so its own address is the implicit MX (RFC 5321 section 5.1). */
  implicitMx: boolean;
  /** DNS error code of the lookup that decided the outcome: ENOTFOUND, ENODATA, ETIMEOUT, ECONNREFUSED ... */
  error: string | null;
}

export type AuthOutcome = 'accepted' | 'rejected' | 'not-offered' | 'method-mismatch' | 'skipped' | 'error';

export interface AuthResult {
  outcome: AuthOutcome;
  port: number | null;
  /** Redacted server reply or error text. */
  response: string | null;
  responseCode: number | null;
  /** Why the test did not run or failed before AUTH: no-port, certificate-invalid, timeout ... */
  code: string | null;
}

export type FindingSeverity = 'ok' | 'info' | 'warning' | 'error';

export interface Finding {
  category: CategoryId;
  /** Knowledge entry id; `probe-*` ids are the probe's own positive findings and have no entry. */
  entry: string;
  severity: FindingSeverity;
  message: Text;
}

export interface ProbeReport {
  target: ProbeTarget;
  /** The host whose ports were probed (the target itself or its preferred MX). */
  host: string | null;
  addresses: string[];
  mx: MxHost[] | null;
  ptr: PtrResult | null;
  durationMs: number;
  ports: PortResult[];
  auth?: AuthResult;
  findings: Finding[];
  notes: Text[];
}

export type ProbeEvent =
  | { kind: 'resolved'; resolution: ResolutionResult }
  | { kind: 'ptr'; ptr: PtrResult }
  | { kind: 'port'; result: PortResult }
  | { kind: 'auth'; result: AuthResult }
  | { kind: 'done'; durationMs: number };

export type ProbeOutcome = { ok: true; report: ProbeReport } | { ok: false; refusal: ProbeRefusal };
