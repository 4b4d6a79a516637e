/** Where shared files may come from: pure decisions, no packets. */
import { describe, expect, it } from 'vitest';
import { allowedFileUrl, hostOf } from '../../src/adapters/download.js';

const SLACK = ['files.slack.com'];

describe('allowedFileUrl', () => {
  it("accepts only the platform's file hosts over https", () => {
    expect(allowedFileUrl('https://files.slack.com/files-pri/T1-F1/log.txt', SLACK)).toBe(true);
    expect(allowedFileUrl('http://files.slack.com/files-pri/T1-F1/log.txt', SLACK)).toBe(false);
    expect(allowedFileUrl('https://files.slack.com.evil.example/x', SLACK)).toBe(false);
    expect(allowedFileUrl('https://evil.example/files.slack.com/x', SLACK)).toBe(false);
    expect(allowedFileUrl('https://user:pw@files.slack.com/x', SLACK)).toBe(false);
    expect(allowedFileUrl('https://169.254.169.254/latest/meta-data', SLACK)).toBe(false);
    expect(allowedFileUrl('file:///etc/passwd', SLACK)).toBe(false);
    expect(allowedFileUrl('not a url', SLACK)).toBe(false);
  });

  it("allows plain http only to the configured API's host and port", () => {
    const api = hostOf('http://127.0.0.1:3000/api/');
    expect(api).toEqual(['127.0.0.1:3000']);
    expect(allowedFileUrl('http://127.0.0.1:3000/files-pri/T1-F1/a.txt', [...SLACK, ...api], api)).toBe(true);
    expect(allowedFileUrl('http://127.0.0.1:3001/files-pri/T1-F1/a.txt', [...SLACK, ...api], api)).toBe(false);
    expect(hostOf(undefined)).toEqual([]);
  });
});
