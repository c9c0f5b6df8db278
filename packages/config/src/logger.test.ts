import { describe, expect, it } from 'vitest';
import { redact } from './logger.ts';

describe('log redaction', () => {
  it('hides bearer tokens, token parameters and provider keys, and keeps the rest', () => {
    const line =
      'GET /websockify?token=abc123 authorization: Bearer s3cr3t-token key sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUV ' +
      'gemini AIzaSyA1234567890abcdefghijklmnopqrstuv x-api-key: plain-key status 200';
    const redacted = redact(line);
    for (const secret of [
      'abc123',
      's3cr3t-token',
      'sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUV',
      'AIzaSyA1234567890abcdefghijklmnopqrstuv',
      'plain-key',
    ]) {
      expect(redacted).not.toContain(secret);
    }
    expect(redacted).toContain('GET /websockify');
    expect(redacted).toContain('status 200');
  });
});
