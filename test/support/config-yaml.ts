import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

/** Staging and production, the least a config file needs; sections under test are appended to it. */
export const TWO_ENVIRONMENTS = `
environments:
  - { name: staging, heroku_app: autorisen, github_repo: o/r, base_url: "https://a.example" }
  - { name: production, heroku_app: capecraft, github_repo: o/r, base_url: "https://c.example", production: true }
`;

/** Load a YAML config with no process env: the config, or the problems it was refused for. */
export function loadYaml(yaml: string) {
  try {
    return { config: loadConfig({}, () => yaml), problems: [] as readonly string[] };
  } catch (err) {
    if (err instanceof ConfigError) return { config: null, problems: err.problems };
    throw err;
  }
}
