/**
 * A file a user sends (a log, a saved error, a bounce .eml) as text: text-like files only, under a size cap, the
 * character set detected (chardet) and decoded (the WHATWG decoders built into Node: UTF-8, ISO-2022-JP,
 * Shift_JIS, EUC-JP, the Windows code pages …). Pure: the bytes come from the caller.
 */
import chardet from 'chardet';
import { looksLikeMessage } from '../engine/bounce.js';

/** Largest file read: far beyond any log worth pasting, small enough to fetch and scan at once. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

const TEXT_EXTENSIONS = new Set(['txt', 'log', 'eml', 'msg', 'mbox', 'out', 'err', 'csv', 'tsv', 'json', 'jsonl', 'md', 'text', 'conf', 'cf', 'ini', 'yaml', 'yml', 'xml', 'html', 'htm']);
const TEXT_TYPES = /^(?:text\/|message\/(?:rfc822|global|delivery-status)|application\/(?:json|x-ndjson|xml|mbox|x-log))/i;

export type FileProblem = 'too-large' | 'not-text' | 'empty';

export type TextFile = { ok: true; text: string; encoding: string; eml: boolean } | { ok: false; problem: FileProblem };

export interface FileInfo {
  name: string;
  /** The MIME type the platform reports, when it does. */
  mimeType?: string;
  /** The size the platform reports, before anything is fetched. */
  size?: number;
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Whether a file is worth fetching at all, from what the platform says of it. */
export function acceptable(info: FileInfo, maxBytes = MAX_FILE_BYTES): FileProblem | null {
  if (info.size !== undefined && info.size > maxBytes) return 'too-large';
  if (info.size === 0) return 'empty';
  const ext = extension(info.name);
  if (ext === '' || TEXT_EXTENSIONS.has(ext)) return null;
  return info.mimeType && TEXT_TYPES.test(info.mimeType) ? null : 'not-text';
}

const WHATWG_LABEL: Record<string, string> = { 'UTF-16LE': 'utf-16le', 'UTF-16BE': 'utf-16be', ASCII: 'utf-8' };

/** Decodes bytes in the detected character set; what the detector cannot name is read as UTF-8. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  const detected = chardet.detect(bytes) ?? 'UTF-8';
  const label = WHATWG_LABEL[detected] ?? detected.toLowerCase();
  try {
    return { text: new TextDecoder(label).decode(bytes).replace(/^\uFEFF/, ''), encoding: label };
  } catch {
    return { text: new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''), encoding: 'utf-8' };
  }
}

/** Reads a file's bytes as text, or says why not. Binary content (NUL bytes) is refused whatever the name says. */
export function readTextFile(info: FileInfo, bytes: Uint8Array, maxBytes = MAX_FILE_BYTES): TextFile {
  const problem = acceptable({ ...info, size: bytes.byteLength }, maxBytes);
  if (problem) return { ok: false, problem };
  const probe = bytes.subarray(0, 8192);
  // UTF-16 text has NUL bytes by nature; a byte-order mark tells it apart from binary.
  const utf16 = (probe[0] === 0xff && probe[1] === 0xfe) || (probe[0] === 0xfe && probe[1] === 0xff);
  // A stray NUL inside a saved message's 8-bit body does not make it binary; elsewhere it does.
  if (!utf16 && probe.includes(0) && !looksLikeMessage(new TextDecoder('latin1').decode(probe))) return { ok: false, problem: 'not-text' };
  const { text, encoding } = decodeText(bytes);
  if (!text.trim()) return { ok: false, problem: 'empty' };
  return { ok: true, text, encoding, eml: extension(info.name) === 'eml' };
}
