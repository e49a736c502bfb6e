import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, type BootedApp, USERS } from '../drivers/boot-app.ts';
import { type Doc, productionSpec, type SpecServer, startSpecServer, stagingSpec } from './diff-command-harness.ts';

/**
 * Issue 23 §7 over signed HTTP: `flag on` reads the environment's live /openapi.json for the routes
 * behind the flag, shows the namespace's OpenAPI diff with staging in the plan, and in production
 * refuses (admin --force overrides) when routes are missing or staging breaks something outside the
 * namespace. The kill switch reads none of it.
 */
let b: BootedApp | undefined;
let specs: { staging: SpecServer; production: SpecServer } | undefined;
afterEach(async () => {
  await b?.stop();
  await specs?.staging.close();
  await specs?.production.close();
  b = undefined;
  specs = undefined;
});

async function boot(staging: Doc, production: Doc): Promise<BootedApp> {
  specs = { staging: await startSpecServer(staging), production: await startSpecServer(production) };
  b = await bootApp({ baseUrls: { staging: specs.staging.url, production: specs.production.url } });
  return b;
}

/** `/autorisen <text>` as `userId`: the answer (the ack's or the one reply on the response_url), as JSON. */
async function say(userId: string, text: string): Promise<string> {
  const res = await b!.driver.command(text, { userId, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  return JSON.stringify(await b!.slack.answerTo(res));
}

const withoutNamespace = (): Doc => {
  const doc = productionSpec();
  for (const p of Object.keys(doc.paths)) if (p.startsWith('/api/autorisen/')) delete doc.paths[p];
  return doc;
};
const approvalsPosted = () =>
  b!.slack.calls.filter((c) => c.method === 'chat.postMessage' && /Approve/.test(JSON.stringify(c.args)));

describe('flag on checks the code behind the flag is there', () => {
  it('shows the namespace diff with staging in the production plan when the routes are there', async () => {
    await boot(stagingSpec(), productionSpec());
    const plan = await say(USERS.ana, 'flag on production --dry-run');
    expect(plan).toContain('Routes behind the flag: production serves 5 operation(s) under /api/autorisen/');
    expect(plan).toContain('OpenAPI diff of /api/autorisen/, staging → production');
    expect(plan).toMatch(/breaking POST \/api\/autorisen\/items\/: [^"]*sku/);
    expect(plan).not.toContain('Not turning the flag on');
  });

  it('staging ahead with a route production lacks is shown, not refused', async () => {
    const staging = productionSpec();
    staging.paths['/api/autorisen/widgets/'] = structuredClone(staging.paths['/api/autorisen/categories/']);
    await boot(staging, productionSpec());
    const plan = await say(USERS.ana, 'flag on production --dry-run');
    expect(plan).toContain(
      'production lacks 1 route(s) staging serves under /api/autorisen/: GET /api/autorisen/widgets/',
    );
    expect(plan).not.toContain('Not turning the flag on');
  });

  it('refuses production when it serves none of the routes; --force is for an admin, and flag off never checks', async () => {
    await boot(productionSpec(), withoutNamespace());
    const refused = await say(USERS.ana, 'flag on production --reason "launch"');
    expect(refused).toContain('Not turning the flag on in production');
    expect(refused).toContain('production serves no route under /api/autorisen/');
    expect(approvalsPosted()).toHaveLength(0);
    expect(b!.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');

    expect(await say(USERS.ana, 'flag on production --force')).toContain('Only an admin can use --force');
    const forced = await say(USERS.ada, 'flag on production --force --dry-run');
    expect(forced).toContain('--force by an admin, despite: production serves no route under /api/autorisen/');

    // The kill switch: no spec is read, nothing is refused.
    b!.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    const before = specs!.production.requests + specs!.staging.requests;
    expect(await say(USERS.ana, 'flag off production --reason "5xx"')).toMatch(/turned the rollout flag \*off\*/);
    expect(b!.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');
    expect(specs!.production.requests + specs!.staging.requests).toBe(before);
  });

  it('refuses production when staging breaks a route outside the namespace', async () => {
    const staging = productionSpec();
    delete staging.paths['/health'];
    await boot(staging, productionSpec());
    const refused = await say(USERS.ana, 'flag on production --dry-run');
    expect(refused).toContain('breaking change(s) outside /api/autorisen/ between staging and production');
    expect(refused).toContain('GET /health');
  });

  it('outside production the findings are warnings and the flag goes on', async () => {
    await boot(withoutNamespace(), productionSpec());
    expect(await say(USERS.ana, 'flag on staging --dry-run')).toContain(
      'Code check: staging serves no route under /api/autorisen/',
    );
    const on = await say(USERS.ana, 'flag on staging');
    expect(on).toMatch(/turned the rollout flag \*on\* in staging/);
    expect(b!.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
  });
});

it('a spec nobody can read is a loud warning for the approver, not a refusal', async () => {
  b = await bootApp(); // base URLs unreachable
  const plan = await say(USERS.ana, 'flag on production --dry-run');
  expect(plan).toContain(':warning: *NOT CHECKED: could not read http://127.0.0.1:9/openapi.json');
  expect(plan).not.toContain('Not turning the flag on');
});
