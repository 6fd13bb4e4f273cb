import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const apiKey = 'sk-proj-0123456789abcdefghijklmnop';

describe('OpenAI configuration', () => {
  it('is off without OPENAI_API_KEY, whatever else is set', () => {
    expect(loadConfig({}).openai).toBeUndefined();
    expect(loadConfig({ OPENAI_MODEL: 'gpt-4.1', OPENAI_TIMEOUT_MS: '3000' }).openai).toBeUndefined();
  });

  it('defaults to gpt-4o-mini on api.openai.com with an 8 s budget, and takes every override', () => {
    expect(loadConfig({ OPENAI_API_KEY: apiKey }).openai).toEqual({ apiKey, model: 'gpt-4o-mini', baseUrl: 'https://api.openai.com/v1', timeoutMs: 8000 });
    expect(loadConfig({ OPENAI_API_KEY: apiKey, OPENAI_MODEL: 'gpt-4.1-mini', OPENAI_BASE_URL: 'http://127.0.0.1:3104/v1/', OPENAI_TIMEOUT_MS: '2500' }).openai).toEqual({
      apiKey,
      model: 'gpt-4.1-mini',
      baseUrl: 'http://127.0.0.1:3104/v1',
      timeoutMs: 2500,
    });
  });

  it('lists every bad OpenAI variable at once, never echoing the key, and scrubs the key from logs', () => {
    let problems: string[] = [];
    try {
      loadConfig({ OPENAI_API_KEY: 'sk short', OPENAI_BASE_URL: 'api.openai.com', OPENAI_TIMEOUT_MS: '100000', OPENAI_MODEL: 'gpt 4' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      problems = (error as ConfigError).problems;
    }
    expect(problems.map((p) => p.split('=')[0])).toEqual(['OPENAI_API_KEY', 'OPENAI_MODEL', 'OPENAI_BASE_URL', 'OPENAI_TIMEOUT_MS']);
    expect(problems.join('\n')).not.toContain('sk short');
    expect(problems[0]).toContain('<hidden>');
    expect(loadConfig({ OPENAI_API_KEY: apiKey }).secrets).toContain(apiKey);
  });
});
