/**
 * A file a user sends (a log, a saved error, a bounce .eml) as text: text-like files only, under a size cap, the
 * character set detected (chardet) and decoded (the WHATWG decoders built into Node: UTF-8, ISO-2022-JP,
 * Shift_JIS, EUC-JP, the Windows code pages …). Pure: the bytes come from the caller.
 */
import chardet from 'chardet';
import { looksLikeMessage } from '../engine/message.js';

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
const JAPANESE = ['shift_jis', 'euc-jp'] as const;

function strictly(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Kana and kanji count for a reading; half-width katakana (what EUC-JP read as Shift_JIS looks like) against it. */
function japaneseScore(text: string): number {
  return (text.match(/[\u3040-\u30ff\u4e00-\u9fff]/g)?.length ?? 0) - 2 * (text.match(/[\uff61-\uff9f]/g)?.length ?? 0);
}

/**
 * Decodes bytes in their character set. chardet ranks the candidates; its first guess is unreliable on the few bytes
 * of a short Japanese error (15 bytes of EUC-JP come out as Big5 or Shift_JIS), so ISO-2022-JP is known by its escape,
 * valid UTF-8 is taken as such, and of Shift_JIS and EUC-JP the reading without errors and with the most kana and
 * kanji wins; only then the detector's own guess (Latin, Cyrillic … code pages).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  const clean = (text: string, encoding: string) => ({ text: text.replace(/^\uFEFF/, ''), encoding });
  const detected = chardet.detect(bytes) ?? 'UTF-8';
  if (detected.startsWith('UTF-16')) return clean(new TextDecoder(WHATWG_LABEL[detected] ?? 'utf-8').decode(bytes), WHATWG_LABEL[detected] ?? 'utf-8');
  // ISO-2022-JP is 7-bit, so also valid UTF-8: its escape sequence (ESC $ B or ESC $ @) decides first.
  const jis = bytes.findIndex((b, i) => b === 0x1b && bytes[i + 1] === 0x24 && (bytes[i + 2] === 0x42 || bytes[i + 2] === 0x40)) >= 0 ? strictly('iso-2022-jp', bytes) : null;
  if (jis !== null) return clean(jis, 'iso-2022-jp');
  const utf8 = strictly('utf-8', bytes);
  if (utf8 !== null) return clean(utf8, 'utf-8');
  const japanese = JAPANESE.map((label) => ({ label, text: strictly(label, bytes) }))
    .flatMap((r) => (r.text === null ? [] : [{ label: r.label, text: r.text, score: japaneseScore(r.text) }]))
    .sort((a, b) => b.score - a.score)[0];
  if (japanese && japanese.score > 0) return clean(japanese.text, japanese.label);
  const label = WHATWG_LABEL[detected] ?? detected.toLowerCase();
  try {
    return clean(new TextDecoder(label).decode(bytes), label);
  } catch {
    return clean(new TextDecoder('utf-8').decode(bytes), 'utf-8');
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
