import { FakeSlackApi } from '../test/fakes/fake-slack-api.ts';

/**
 * The fake Slack API in its own process, for benchmarks: real Slack is another machine, so its
 * work (answering response_url posts) must not share the event loop being measured.
 * Prints `{"url":…,"apiUrl":…}` on one line, exits when stdin closes.
 */
const fake = await FakeSlackApi.start();
process.stdout.write(`${JSON.stringify({ url: fake.url, apiUrl: fake.apiUrl })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void fake.close().then(() => process.exit(0));
});
