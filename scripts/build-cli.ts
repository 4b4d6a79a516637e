/**
 * `npm run build` step: the smtp-doctor command as one bundle (dist/bundle/), so that a command starts by reading a
 * few files instead of resolving some hundred ES modules one by one (a probe spent more on that than on probing).
 * Code splitting keeps each command's code, and the packages it imports, in its own chunk: `probe` never loads the
 * engine, the chat adapters or nodemailer. The small pure-JS packages on the common paths are bundled; every other
 * package stays in node_modules (native addons, packages that find their own files at run time).
 * All chunks sit in one directory, one level below dist/, where paths relative to a module (the knowledge snapshot,
 * knowledge/) resolve as from the compiled files.
 */
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLED = new Set(['valibot', 'zod', 'js-yaml', 'ipaddr.js']);

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { dependencies: Record<string, string> };
const external = Object.keys(pkg.dependencies).filter((name) => !BUNDLED.has(name));

rmSync(`${ROOT}dist/bundle`, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  logLevel: 'warning',
});
