#!/usr/bin/env node
// The built CLI (npm ci runs `prepare`, which compiles src/ to dist/).
import v8 from 'node:v8';

// A small young generation: the engine makes short-lived garbage per message, and with V8's default (16 MB
// semi-spaces) a classify run over 20,000 lines holds ~30 MB more than it needs. Set before anything is loaded.
v8.setFlagsFromString('--max-semi-space-size=1');

const { main } = await import('../dist/cli/main.js');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`smtp-doctor: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
