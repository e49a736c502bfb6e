import { AppError } from '../errors.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';

/**
 * Stand-ins used when a credential is missing, so the bot still starts (the local shell works with
 * no environment at all) and every use says exactly which variable to set.
 */
function unconfigured<T extends object>(code: 'heroku_unauthorized' | 'github_unauthorized', message: string): T {
  return new Proxy({} as T, {
    get: (_t, prop) =>
      prop === 'then'
        ? undefined
        : async () => {
            throw new AppError(code, message);
          },
  });
}

export const unconfiguredHeroku = (): HerokuPort =>
  unconfigured<HerokuPort>(
    'heroku_unauthorized',
    'HEROKU_API_KEY is not set, so I cannot talk to Heroku. Set it (a Heroku API key with access to the apps) and restart the bot.',
  );

export const unconfiguredGitHub = (): GitHubPort =>
  unconfigured<GitHubPort>(
    'github_unauthorized',
    'GITHUB_TOKEN is not set, so I cannot read the repository. Set it (a token with repo read and deployments write) and restart the bot.',
  );
