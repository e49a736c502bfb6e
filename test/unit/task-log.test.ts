import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { displayLine, exitStatusOf, logBlock } from '../../src/core/task-log.ts';

describe('reading a one-off dyno log', () => {
  it('reads the exit status from Heroku’s own line for that dyno only', () => {
    const line = '2026-11-29T21:00:01.123456+00:00 heroku[run.7166]: Process exited with status 1';
    expect(exitStatusOf(line, 'run.7166')).toBe(1);
    expect(exitStatusOf(line, 'run.716')).toBeNull();
    // The command's own output cannot fake the exit: it comes from app[run.N].
    expect(
      exitStatusOf('2026-11-29T21:00:01+00:00 app[run.7166]: Process exited with status 0', 'run.7166'),
    ).toBeNull();
    expect(
      exitStatusOf('2026-11-29T21:00:01+00:00 heroku[run.7166]: State changed from up to complete', 'run.7166'),
    ).toBeNull();
  });

  it('any status Heroku prints is read back exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 99999 }), (status, n) => {
        expect(
          exitStatusOf(`2026-01-01T00:00:00+00:00 heroku[run.${n}]: Process exited with status ${status}`, `run.${n}`),
        ).toBe(status);
      }),
    );
  });

  it('a log block cannot be closed early by backticks in the output (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 400 }), { minLength: 1, maxLength: 20 }), (lines) => {
        const block = logBlock(lines);
        expect(block.startsWith('```\n') && block.endsWith('\n```')).toBe(true);
        expect(block.slice(4, -4)).not.toContain('```');
      }),
    );
    expect(displayLine('2014-04-09T08:01:47.421585+00:00 app[run.1]: hello')).toBe('app[run.1]: hello');
  });
});

const ENVS = `
environments:
  - name: staging
    heroku_app: autorisen
    github_repo: capecraft/capecraft
    base_url: https://autorisen.herokuapp.com
  - name: production
    heroku_app: capecraft
    github_repo: capecraft/capecraft
    base_url: https://capecraft.herokuapp.com
    production: true
`;

function problems(yaml: string): readonly string[] {
  try {
    loadConfig({}, () => ENVS + yaml);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config tasks:', () => {
  it('loads a task with its defaults', () => {
    const c = loadConfig(
      {},
      () => `${ENVS}tasks:\n  backfill:\n    command: python -m x\n    environments: [staging]\n`,
    );
    expect(c.tasks.backfill).toEqual({
      name: 'backfill',
      command: 'python -m x',
      size: 'standard-1X',
      timeoutSeconds: 900,
      environments: ['staging'],
      description: null,
    });
  });

  it('refuses unknown keys, a missing command, an unknown size or environment, and a release task not allowed on staging', () => {
    const p = problems(`tasks:
  backfill:
    comand: python -m x
    environments: [staging]
  check:
    command: python -m y
    size: huge
    environments: [stagin]
  prodonly:
    command: python -m z
    environments: [production]
release:
  tasks: [prodonly, nope]
`);
    expect(p.some((x) => x.startsWith('tasks.backfill') && /comand|Unrecognized/.test(x))).toBe(true);
    expect(p.some((x) => x.startsWith('tasks.backfill.command'))).toBe(true);
    expect(p.some((x) => x.startsWith('tasks.check.size'))).toBe(true);
  });

  it('names environments a task may not know, and release tasks that do not exist or may not run on staging', () => {
    const p = problems(`tasks:
  check:
    command: python -m y
    environments: [stagin]
  prodonly:
    command: python -m z
    environments: [production]
release:
  tasks: [prodonly, nope]
`);
    expect(p).toContain('tasks.check.environments.0: no environment is named "stagin" (known: staging, production)');
    expect(p).toContain('release.tasks.0: task "prodonly" may not run on staging (its environments)');
    expect(p).toContain('release.tasks.1: no task is named "nope" under tasks:');
  });
});
