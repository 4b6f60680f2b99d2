import { describe, expect, it } from 'vitest';
import { redactRedisUrl, redactSecrets } from '../src/redact.js';

describe('redactRedisUrl (invalid and odd URLs)', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactRedisUrl('redis://:hunter2@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(redactRedisUrl('rediss://app:s3cret@cache.example.com:6380/2')).toBe(
      'rediss://app:***@cache.example.com:6380/2',
    );
  });

  it('leaves a URL without credentials untouched', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('hides a lone userinfo, which some clients read as a password', () => {
    expect(redactRedisUrl('redis://hunter2@127.0.0.1:6379')).not.toContain('hunter2');
  });

  it('redacts text that is not a valid URL', () => {
    const redacted = redactRedisUrl('redis://:hunter 2@host:port');
    expect(redacted).not.toContain('hunter');
    expect(redacted).toBe('redis://:***@host:port');
    expect(redactRedisUrl('user:pw@host')).toBe('user:***@host');
  });

  it('handles an @ inside the password', () => {
    expect(redactRedisUrl('redis://user:pa@ss@host:6379')).not.toContain('pa');
  });
});

describe('redactRedisUrl', () => {
  it('masks the password and keeps the username', () => {
    expect(redactRedisUrl('redis://:secret@h:1/0')).toBe('redis://:***@h:1/0');
    expect(redactRedisUrl('redis://user:secret@h:1')).toBe('redis://user:***@h:1');
    expect(redactRedisUrl('rediss://user:p%40ss@example.com:6380/2')).toBe('rediss://user:***@example.com:6380/2');
  });

  it('leaves URLs without credentials unchanged, and hides a lone userinfo (some clients read it as a password)', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('redis://user@h:1')).toBe('redis://***@h:1');
  });

  it('masks credentials in strings URL cannot parse', () => {
    const redacted = redactRedisUrl('redis://:secret@[bad-host:1');
    expect(redacted).not.toContain('secret');
    expect(redacted).toContain('***');
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redactSecrets('a s1 b s2 c s1', ['s1', 's2'])).toBe('a *** b *** c ***');
  });

  it('ignores empty secrets and text without them', () => {
    expect(redactSecrets('nothing here', ['', 'absent'])).toBe('nothing here');
  });
});
