import { cpus, totalmem, type } from 'node:os';
import { release } from 'node:os';
import { benchSlackAck } from './slack-ack.ts';
import { realDispatcher } from './real-dispatcher.ts';

/**
 * `npm run bench`: every benchmark, each against its baseline measured in the same run.
 * `npm run bench -- ack` (or startup, day, ack-heroku, ack-kinds, diff, diff-accuracy, alerts, logdrain, three) runs one;
 * `ack-kinds` takes `[seconds] [rate] [store] [kind]` after it. Results are copied into docs/BENCHMARKS.md.
 */
const only = process.argv[2];
const want = (name: string) => !only || only === name;

console.log(
  `machine: ${type()} ${release()}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString()}`,
);

if (want('ack')) {
  console.log('\n## Slash-command ack latency');
  await benchSlackAck({ realisticDispatcher: realDispatcher });
}
if (want('day')) {
  const { benchDayInTheLife } = await import('./day-in-the-life.ts');
  console.log('\n## Heroku budget: a day in the life');
  await benchDayInTheLife();
}
if (want('ack-heroku')) {
  const { benchHerokuReadAck } = await import('./heroku-read-ack.ts');
  console.log('\n## Ack latency of a Heroku-reading command at 200 and 500 req/s');
  await benchHerokuReadAck();
}
if (want('ack-kinds')) {
  // `npm run bench -- ack-kinds [seconds per run] [rate] [store] [kind]`, e.g. `ack-kinds 60` for 60 s runs.
  const { benchChangeAck, kindsArgs } = await import('./change-ack.ts');
  console.log('\n## Ack latency and CPU by command kind (query, dry run, change) at 200 and 500 req/s');
  await benchChangeAck(kindsArgs(process.argv.slice(3)));
}
if (want('startup')) {
  console.log('\n## Start-up and footprint (production build)');
  const { benchStartup } = await import('./startup.ts');
  await benchStartup();
}
if (want('diff')) {
  const mod = await import('./diff.ts').catch(() => null);
  if (mod && 'benchDiff' in mod) {
    console.log('\n## OpenAPI diff');
    await (mod.benchDiff as () => Promise<unknown>)();
  }
}
if (want('diff-accuracy')) {
  console.log('\n## OpenAPI diff accuracy against oasdiff');
  (await import('./diff-oasdiff-accuracy.ts')).benchOasdiffAccuracy();
}
if (want('alerts')) {
  const mod = await import('./alerts-storm.ts').catch(() => null);
  if (mod && 'benchAlertsStorm' in mod) {
    console.log('\n## Alert storm');
    await (mod.benchAlertsStorm as () => Promise<unknown>)();
  }
}
if (want('three')) {
  console.log('\n## Three instances on one PostgreSQL');
  await (await import('./three-instances.ts')).benchThreeInstances();
}
if (want('logdrain')) {
  console.log('\n## Log drain');
  await (await import('./logdrain.ts')).benchLogdrain();
}
process.exit(0);
