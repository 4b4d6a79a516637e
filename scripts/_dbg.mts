import { readFileSync } from 'node:fs';
import PostalMime from 'postal-mime';
import { parseBounce } from '../src/engine/bounce.js';
for (const f of process.argv.slice(2)) {
  const raw = readFileSync(`/tmp/11a-sisimai/maildir/bsd/${f}`);
  const e = await PostalMime.parse(raw, { forceRfc822Attachments: true });
  console.log(f, e.attachments.map((a) => a.mimeType), (e.text ?? '').slice(0, 200));
  console.log(JSON.stringify(await parseBounce(raw))?.slice(0, 800));
}
