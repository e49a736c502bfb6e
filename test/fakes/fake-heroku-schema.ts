import { readFileSync } from 'node:fs';

/**
 * Facts read from Heroku's own Platform API schema (test/fixtures/heroku/platform_api.schema.json,
 * heroku/platform-api schema.json @ 4f4f592c), so the fake and the tests hold the bot to the
 * published limits rather than to numbers copied by hand.
 */

type Definitions = Record<string, { definitions?: Record<string, { description?: string }> }>;

let definitions: Definitions | null = null;

function schemaDefinitions(): Definitions {
  definitions ??= (
    JSON.parse(readFileSync(new URL('../fixtures/heroku/platform_api.schema.json', import.meta.url), 'utf8')) as {
      definitions: Definitions;
    }
  ).definitions;
  return definitions;
}

/** `dyno.time_to_live`'s maximum, from its description ("…, max 86400 seconds (24 hours)"). */
export function maxTimeToLiveSeconds(): number {
  const description = schemaDefinitions().dyno?.definitions?.time_to_live?.description ?? '';
  const m = /\bmax (\d+) seconds\b/.exec(description);
  if (!m) throw new Error(`platform_api.schema.json: no maximum in dyno.time_to_live ("${description}")`);
  return Number(m[1]);
}
