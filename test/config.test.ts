import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('uses defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.logLevel).toBe('info');
    expect(config.knowledgeDir).toMatch(/knowledge\/$/);
    expect(config.minConfidence).toBeUndefined();
  });

  it('lists every bad variable at once with what it should look like', () => {
    let error: unknown;
    try {
      loadConfig({ LOG_LEVEL: 'loud', CONCIERGE_MIN_CONFIDENCE: '7' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('LOG_LEVEL="loud"');
    expect(problems.join('\n')).toContain('CONCIERGE_MIN_CONFIDENCE="7"');
    expect(problems.join('\n')).toContain('between 0 and 1');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
  });
});
