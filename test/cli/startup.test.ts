/**
 * What a command loads, seen by a module resolve hook in the real process: start-up time is mostly modules, so
 * `probe` must not pull in the engine, the chat adapters or a schema library, and `classify` not the settings.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/smtp-servers.js';
import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built CLI with a resolve hook that writes every module it loads to a file; returns those modules. */
async function modulesLoaded(name: string, args: string[], input = '', env: Record<string, string> = {}) {
  const log = join(dir, `${name}.log`);
  const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
  const r = await runCli(args, input, { ...env, NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(register)}` });
  const urls = [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))];
  const files = urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  // The bundle marks where each part came from (`// src/engine/index.ts`, `// node_modules/zod/...`).
  const sources = files.filter((f) => f.includes('/dist/bundle/')).flatMap((f) => readFileSync(f, 'utf8').match(/^\/\/ (?:src|node_modules)\/\S+/gm) ?? []);
  return { r, files, sources: sources.map((s) => s.slice(3)) };
}

describe('start-up', () => {
  it('probe loads its own code and nothing from node_modules: no engine, adapters, zod, YAML parser or nodemailer', async () => {
    const port = await closedPort();
    const { r, files, sources } = await modulesLoaded('probe', ['probe', '127.0.0.1', '--allow-private', '--port', String(port), '--json'], '', {
      PROBE_EXTRA_ALLOWED_PORTS: String(port),
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ports: [{ port, state: 'refused' }] });
    expect(sources).toContain('src/probe/smtp.ts');
    expect(files.filter((f) => f.includes('/node_modules/'))).toEqual([]);
    const heavy = sources.filter((s) => /^src\/(engine\/(index|diagnose|model)|knowledge\/load|adapters|bot)\b|^node_modules\/(zod|js-yaml)\//.test(s));
    expect(heavy).toEqual([]);
  });

  it('classify starts from the snapshot: no settings, no knowledge YAML, no chat adapters', async () => {
    const { r, sources, files } = await modulesLoaded('classify', ['classify', '--jsonl'], '{"text":"535 5.7.8 Authentication failed"}\n');
    expect(JSON.parse(r.stdout)).toMatchObject({ category: 'auth-failed' });
    expect(sources).toContain('src/engine/index.ts');
    const unwanted = sources.filter((s) => /^src\/(config|knowledge\/load|adapters\/|bot\/)|^node_modules\/(zod|js-yaml)\//.test(s));
    expect(unwanted).toEqual([]);
    expect(files.filter((f) => /\/node_modules\/(@slack|discord\.js|nodemailer|pino)\//.test(f))).toEqual([]);
    // A line that is no whole message never needs the bounce reader's MIME and HTML parsers.
    expect(sources.filter((s) => s === 'src/engine/bounce.ts')).toEqual([]);
    expect(files.filter((f) => /\/node_modules\/(postal-mime|html-to-text)\//.test(f))).toEqual([]);
  });
});
