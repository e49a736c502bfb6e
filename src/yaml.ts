import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The yaml package's `parse`, loaded at the first parse rather than at boot: it is about 70 modules
 * and a tenth of a second of CPU, and a bot configured from the environment alone, that has not yet
 * read a spec or a plan, never parses YAML (docs/BENCHMARKS.md, start-up). Synchronous, because
 * loadConfig is: `require` of yaml's CommonJS build, the same file the ESM import resolves to.
 */
export function parseYaml(text: string, options?: YamlParseOptions): unknown {
  return (require('yaml') as typeof import('yaml')).parse(text, options);
}

type YamlParseOptions = import('yaml').ParseOptions &
  import('yaml').DocumentOptions &
  import('yaml').SchemaOptions &
  import('yaml').ToJSOptions;
