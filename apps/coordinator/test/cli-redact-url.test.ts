import { describe, expect, it } from 'vitest';
import { redactUrl } from '../src/cli/redact-url.js';

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('redis://:hunter2@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(redactUrl('rediss://app:s3cret@cache.example.com:6380/2')).toBe('rediss://app:***@cache.example.com:6380/2');
  });

  it('leaves a URL without credentials untouched', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });

  it('hides a lone userinfo, which some clients read as a password', () => {
    expect(redactUrl('redis://hunter2@127.0.0.1:6379')).not.toContain('hunter2');
  });

  it('redacts text that is not a valid URL', () => {
    const redacted = redactUrl('redis://:hunter 2@host:port');
    expect(redacted).not.toContain('hunter');
    expect(redacted).toBe('redis://:***@host:port');
    expect(redactUrl('user:pw@host')).toBe('user:***@host');
  });

  it('handles an @ inside the password', () => {
    expect(redactUrl('redis://user:pa@ss@host:6379')).not.toContain('pa');
  });
});
