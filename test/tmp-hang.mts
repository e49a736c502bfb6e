import Heroku from 'heroku-client';
import { startFakeHeroku } from '/work/main/test/fakes/fake-heroku-api.ts';
const fake = await startFakeHeroku({ apps: [{ name: 'a' }] });
fake.fail({ hang: true, times: 1 });
const c = new Heroku({ token: fake.apiKey, host: fake.url, timeout: 300 });
try { await c.patch('/apps/a/config-vars', { body: { X: '1' } }); } catch (e) { console.log('rejected', (e as Error).message); }
await new Promise((r) => setTimeout(r, 2500));
console.log('requests', fake.requests.length, fake.app('a').configVars);
await fake.close();
