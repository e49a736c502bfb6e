/**
 * One-off dynos for the sandbox Heroku: a task "runs" for a few log lines and exits 0, with the
 * lines Heroku writes for a `run.N` dyno (so the bot's exit-status reading is the real one). No
 * command is executed: the sandbox only shows what the bot would do.
 */
import { randomUUID } from 'node:crypto';
import type { HerokuLogSession, HerokuPort } from '../ports/heroku.ts';

interface SandboxDyno {
  app: string;
  name: string;
  command: string;
  lines: string[];
  stopped: boolean;
}

export function createSandboxDynos(now: () => number): Pick<HerokuPort, 'runDetached' | 'openLogSession' | 'stopDyno'> {
  const dynos = new Map<string, SandboxDyno>();
  let next = 1;
  const stamp = () => new Date(now()).toISOString().replace('Z', '+00:00');
  const log = (d: SandboxDyno, source: 'heroku' | 'app', text: string) =>
    d.lines.push(`${stamp()} ${source}[${d.name}]: ${text}`);
  return {
    async runDetached(app, input) {
      const d: SandboxDyno = { app, name: `run.${next++}`, command: input.command, lines: [], stopped: false };
      log(d, 'heroku', `Starting process with command \`${input.command}\``);
      log(d, 'heroku', 'State changed from starting to up');
      log(
        d,
        'app',
        `(sandbox) nothing is executed; on Heroku this would run \`${input.command}\` on a ${input.size} dyno`,
      );
      log(d, 'heroku', 'Process exited with status 0');
      log(d, 'heroku', 'State changed from up to complete');
      dynos.set(`${app}/${d.name}`, d);
      return { id: randomUUID(), name: d.name, state: 'up' };
    },
    async openLogSession(app, dynoName): Promise<HerokuLogSession> {
      const d = dynos.get(`${app}/${dynoName}`);
      const lines = [...(d?.lines ?? [])];
      return {
        lines: (async function* () {
          yield* lines;
        })(),
        close: () => undefined,
      };
    },
    async stopDyno(app, dyno) {
      const d = dynos.get(`${app}/${dyno}`);
      if (d && !d.stopped) {
        d.stopped = true;
        log(d, 'heroku', 'Process exited with status 143');
      }
    },
  };
}
