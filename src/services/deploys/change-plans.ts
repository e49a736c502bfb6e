import type { ChangePlanPort } from '../../ports/command.ts';
import { planDeploy, planRollback } from './plan.ts';
import { flagOnReadiness } from '../flag-on-readiness.ts';
import { commitsOfReleases } from './release-commit.ts';

/**
 * What commands plan through `ctx.changePlans` (they import no services): deploys, rollbacks, the
 * commit each release runs, and the code check before `flag on`.
 */
export const changePlans: ChangePlanPort = {
  deploy: planDeploy,
  rollback: planRollback,
  commitsOf: (app, releases, ctx) => commitsOfReleases(ctx.heroku, app, releases),
  flagOn: flagOnReadiness,
};
