/**
 * Japanese as people write it: one form for the spellings and inflections of knowledge/ja-forms.yaml, applied alike to
 * the compact form of a paste and to every phrase, so that a stored 「認証に失敗しました」 meets 「認証に失敗した」.
 */
import { escapeRegExp } from './regexp.js';
import type { JaForms } from './types.js';

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

export type Canon = (compactText: string) => string;

export function compileJaForms(forms: JaForms): Canon {
  const keys = Object.keys(forms.spellings).sort((a, b) => b.length - a.length);
  const spelling = keys.length > 0 ? new RegExp(keys.map(escapeRegExp).join('|'), 'g') : null;
  const endings = forms.endings.map(([pattern, to]) => ({ re: new RegExp(pattern, 'g'), to }));
  // The last text and its canonical form: a paste's reading asks for the same one up to three times (the model's
  // features and the two forms phrases are matched in), and each asking runs every rule over it.
  let lastText: string | undefined;
  let lastOut = '';
  return (text) => {
    if (!JAPANESE.test(text)) return text;
    if (text === lastText) return lastOut;
    let out = spelling ? text.replace(spelling, (m) => forms.spellings[m] ?? m) : text;
    for (const { re, to } of endings) out = out.replace(re, to);
    lastText = text;
    lastOut = out;
    return out;
  };
}
