import { startFakeHeroku } from '../test/fakes/fake-heroku-api.ts';

/**
 * The fake Heroku API in its own process, for benchmarks (Heroku is another machine). Apps of the
 * example config (autorisen, capecraft). Prints `{"url","dataUrl","apiKey"}` on one line; on stdin
 * close prints `{"requests": n}` (requests that reached it) and exits.
 */
const fake = await startFakeHeroku({
  apps: ['autorisen', 'capecraft'].map((name) => ({
    name,
    configVars: { FEATURE_AUTORISEN: 'false' },
    releases: [{ description: 'Initial release' }, { description: 'Deploy 1111111' }],
  })),
});
process.stdout.write(`${JSON.stringify({ url: fake.url, dataUrl: fake.dataUrl, apiKey: fake.apiKey })}\n`);
process.stdin.resume();
process.stdin.on('data', () => {
  process.stdout.write(`${JSON.stringify({ requests: fake.apiRequests().length })}\n`);
});
process.stdin.on('end', () => {
  void fake.close().then(() => process.exit(0));
});
