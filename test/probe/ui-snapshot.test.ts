/** The probe's strings as built JSON: used while the YAML is unchanged, ignored (so the YAML is read) once it changes. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProbeUi, PROBE_UI_FILE } from '../../src/probe/ui.js';
import { probeUi, probeUiHash, readProbeUiSnapshot } from '../../src/probe/ui-snapshot.js';

describe('probe UI snapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-ui-'));
  const yamlFile = join(dir, 'probe.yaml');
  const snapshot = join(dir, 'probe-ui.json');
  const yaml = readFileSync(PROBE_UI_FILE, 'utf8');
  const ui = loadProbeUi();

  it('gives the validated strings while the YAML it was written from is unchanged', () => {
    writeFileSync(yamlFile, yaml);
    writeFileSync(snapshot, JSON.stringify({ hash: probeUiHash(yaml), ui }));
    expect(readProbeUiSnapshot(snapshot, yamlFile)).toEqual(ui);
  });

  it('is ignored after an edit of the YAML, when missing, and when unreadable', () => {
    writeFileSync(yamlFile, `${yaml}\nprobe.extra:\n  ja: 追加\n  en: extra\n`);
    expect(readProbeUiSnapshot(snapshot, yamlFile)).toBeNull();
    expect(readProbeUiSnapshot(join(dir, 'absent.json'), yamlFile)).toBeNull();
    writeFileSync(snapshot, '{"hash":');
    expect(readProbeUiSnapshot(snapshot, yamlFile)).toBeNull();
  });

  it('probeUi() falls back to the YAML where there is no snapshot (from src/)', async () => {
    expect(await probeUi()).toEqual(ui);
  });
});
