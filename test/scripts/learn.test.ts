// Training is deterministic (same data, same bytes) and cross-validation never puts a family in training and test.
import { describe, expect, it } from 'vitest';
import { assignFolds } from '../../scripts/lib/crossval.js';
import { familyOf, type LabelledCase } from '../../scripts/lib/cases.js';
import { CLASSES, sampleOf, toModelFile, train } from '../../scripts/lib/learn.js';
import { RULES_ONLY } from '../../src/engine/diagnose.js';

function target(cls: string): Float64Array {
  const t = new Float64Array(CLASSES.length);
  t[CLASSES.indexOf(cls as (typeof CLASSES)[number])] = 1;
  return t;
}

describe('training', () => {
  const data = [
    sampleOf(['w:relay', 'w:denied', 'sc:5.7.1'], target('relay-denied')),
    sampleOf(['w:mailbox', 'w:full', 'sc:5.2.2'], target('mailbox-full')),
    sampleOf(['w:lunch', 'w:today'], target('chat')),
    sampleOf(['j:認証', 'j:失敗'], target('auth-failed')),
  ];

  it('makes the same model bytes from the same data', () => {
    const a = JSON.stringify(toModelFile(train(data.map((s) => ({ ...s }))), 'h', RULES_ONLY, {}));
    const b = JSON.stringify(toModelFile(train(data.map((s) => ({ ...s }))), 'h', RULES_ONLY, {}));
    expect(a).toBe(b);
  });
});

describe('cross-validation folds', () => {
  it('keep each source family within one fold', () => {
    const cases: LabelledCase[] = ['a', 'a', 'b', 'c', 'c', 'c', 'd', 'e'].map((family, i) => ({ text: `t${i}`, accept: ['offline'], lang: 'en', source: '', corpus: 'x', family }));
    const folds = assignFolds(cases, 3);
    for (const fam of ['a', 'c']) expect(new Set(cases.map((c, i) => (c.family === fam ? folds[i] : -1)).filter((f) => f !== -1)).size).toBe(1);
    expect(new Set(folds).size).toBe(3);
  });

  it('name a family by the software a source names, else its site or repository', () => {
    expect(familyOf('rustdesk/rustdesk-server-pro#97 (PHPMailer)', 'f')).toBe('phpmailer');
    expect(familyOf('[verbatim] sisimai/p5-sisimai set-of-emails/maildir/bsd/lhost-exim-29.eml', 'f')).toBe('exim');
    expect(familyOf('[page] pc-design-k.jp/repair/20240412104457', 'f')).toBe('pc-design-k.jp');
    expect(familyOf('freescout-help-desk/freescout#318', 'f')).toBe('freescout-help-desk/freescout');
    expect(familyOf('[written]', 'holdout-5.jsonl')).toBe('written:holdout-5.jsonl');
    expect(familyOf('negative (support/dev channel chat written for this corpus)', 'h.jsonl')).toBe('chat:h.jsonl');
  });
});
