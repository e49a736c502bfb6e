import type { DeliverySink } from '../webhooks/pipeline.ts';

/**
 * Wraps the webhook sink so that an accepted Heroku `api:release` delivery (a deploy, a config var
 * change, a rollback, made by anyone) drops the cached reads of that app, after it was persisted.
 * Config var changes made outside the bot (dashboard, CLI) reach us only this way, or by the TTL.
 */
export function invalidateOnRelease(sink: DeliverySink, invalidate: (app: string) => void): DeliverySink {
  return {
    async accept(input) {
      const result = await sink.accept(input);
      const d = input.delivery;
      if (d.source === 'heroku' && d.body.resource === 'release' && typeof d.body.data.app?.name === 'string')
        invalidate(d.body.data.app.name);
      return result;
    },
  };
}
