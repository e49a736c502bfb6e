import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

const http = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'signing-secret-0123456789' };
const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env, () => null);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
};

describe('PUBLIC_URL and CHART_SECRET', () => {
  it('are optional: no chart image without PUBLIC_URL', () => {
    expect(loadConfig(http, () => null).charts).toEqual({ publicUrl: null, secret: null });
  });

  it("take the bot's public base URL, without a trailing slash", () => {
    const c = loadConfig(
      { ...http, PUBLIC_URL: 'https://autorisen-bot.herokuapp.com/', CHART_SECRET: 'chart-secret-0123456789' },
      () => null,
    );
    expect(c.charts).toEqual({ publicUrl: 'https://autorisen-bot.herokuapp.com', secret: 'chart-secret-0123456789' });
  });

  it('name what is wrong with a bad URL or a weak secret', () => {
    for (const bad of [
      'autorisen-bot.herokuapp.com',
      'ftp://bot.example.com',
      'https://bot.example.com/?x=1',
      'https://user:pw@bot.example.com',
    ]) {
      expect(problems({ ...http, PUBLIC_URL: bad }).join('\n')).toMatch(
        /PUBLIC_URL: expected the bot's public http\(s\) base URL/,
      );
    }
    expect(problems({ ...http, CHART_SECRET: 'short' })).toEqual([
      'CHART_SECRET: use at least 16 random characters (it keys the chart URLs)',
    ]);
  });

  it('need a secret to key chart URLs: Socket Mode has no signing secret, so CHART_SECRET is required', () => {
    const socket = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', PUBLIC_URL: 'https://bot.example.com' };
    expect(problems(socket).join('\n')).toMatch(
      /CHART_SECRET: required with PUBLIC_URL when SLACK_SIGNING_SECRET is not set/,
    );
    expect(problems({ ...socket, CHART_SECRET: 'chart-secret-0123456789' })).toEqual([]);
  });
});
