import { AppError } from '../../errors.ts';
import type { HerokuDyno, HerokuLogSession, HerokuPort } from '../../ports/heroku.ts';
import type { CallOptions } from './heroku-call.ts';
import type { HerokuCall } from './heroku-request.ts';
import { asObject } from './heroku-shapes.ts';

type Call = (method: HerokuCall['method'], path: string, o: CallOptions) => Promise<unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * One-off dynos and their logs (Platform API: dyno, log-session). A task runs detached
 * (`attach: false`, so no rendezvous socket), and its output is read from a log session: a
 * pre-signed logplex URL answering plain log lines for as long as `tail` keeps it open.
 */
export function dynoMethods(call: Call): Pick<HerokuPort, 'runDetached' | 'openLogSession' | 'stopDyno'> {
  const enc = encodeURIComponent;
  return {
    async runDetached(app, input): Promise<HerokuDyno> {
      const d = asObject(
        await call('POST', `/apps/${enc(app)}/dynos`, {
          app,
          doing: `starting a one-off dyno (${input.command})`,
          body: {
            command: input.command,
            attach: false,
            size: input.size,
            type: 'run',
            time_to_live: input.timeToLiveSeconds,
          },
        }),
      );
      const id = str(d.id);
      const name = str(d.name);
      if (!id || !name) throw new AppError('heroku_invalid', 'Heroku started a dyno but did not say its id and name.');
      return { id, name, state: str(d.state) ?? 'starting' };
    },

    async openLogSession(app, dynoName): Promise<HerokuLogSession> {
      const s = asObject(
        await call('POST', `/apps/${enc(app)}/log-sessions`, {
          app,
          doing: `opening the log of ${dynoName}`,
          body: { dyno_name: dynoName, tail: true, lines: 1500 },
        }),
      );
      const url = str(s.logplex_url);
      if (!url) throw new AppError('heroku_invalid', 'Heroku opened a log session without a logplex_url.');
      return streamLines(url);
    },

    async stopDyno(app, dyno) {
      await call('POST', `/apps/${enc(app)}/dynos/${enc(dyno)}/actions/stop`, { app, doing: `stopping ${dyno}` });
    },
  };
}

/** GET the logplex URL (no API key: it is pre-signed) and hand out its lines as they arrive. */
export function streamLines(url: string): HerokuLogSession {
  const abort = new AbortController();
  async function* lines(): AsyncGenerator<string> {
    let res: Response;
    try {
      res = await fetch(url, { signal: abort.signal });
    } catch (err) {
      if (abort.signal.aborted) return;
      throw new AppError('heroku_unavailable', `Heroku's log stream could not be opened (${String(err)}).`);
    }
    if (!res.ok || !res.body)
      throw new AppError('heroku_unavailable', `Heroku's log stream answered ${res.status}; the dyno itself runs on.`);
    const decoder = new TextDecoder();
    let rest = '';
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        rest += decoder.decode(chunk, { stream: true });
        const parts = rest.split('\n');
        rest = parts.pop() ?? '';
        for (const line of parts) if (line.trim() !== '') yield line.replace(/\r$/, '');
      }
    } catch (err) {
      if (abort.signal.aborted) return;
      throw new AppError('heroku_unavailable', `Heroku's log stream broke off (${String(err)}).`);
    }
    if (rest.trim() !== '') yield rest;
  }
  return { lines: lines(), close: () => abort.abort() };
}
