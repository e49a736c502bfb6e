import type { ChangePlanPort } from '../core/command.ts';
import { planDeploy, planRollback } from './deploy-plan.ts';
import { flagOnReadiness } from './flag-on-readiness.ts';

/** What commands plan through `ctx.changePlans`: deploys, rollbacks, and the code check before `flag on`. */
export const changePlans: ChangePlanPort = { deploy: planDeploy, rollback: planRollback, flagOn: flagOnReadiness };
