import type { ActionCommand, Caller, CommandContext } from '../../ports/command.ts';
import type { CommandRegistry } from '../../ports/command.ts';
import type { ActionHandler } from '../../core/transport.ts';
import { AppError } from '../../errors.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { WorkflowPort } from '../../ports/workflows.ts';
import type { ProbePort } from '../../ports/probes.ts';
import type { ApprovalRecord } from '../../ports/stores/approvals.ts';
import { PROBE_TIMEOUT_MS, runContractProbes } from '../contract-probes.ts';
import { probeRunRecord, recordProbeRun } from '../probe-record.ts';
import type { ApprovalService } from '../approvals/service.ts';
import { buildContext, type Ports } from '../context.ts';
import { createProgress } from '../progress.ts';
import { createWorkflowEngine, type WorkflowEngine } from './engine.ts';
import { ABANDON_ACTION, RETRY_ACTION } from './messages.ts';
import type { StepPorts, WorkflowDef } from './types.ts';
import type { LeaseOptions } from './leases.ts';

/**
 * The engine wired into the app: gates ask through the approval service as the run's requester
 * (so the second-operator rule, expiry, re-plan and audit are the ones every approval has), and
 * the Retry / Abandon buttons are action handlers.
 */
export function wireWorkflows(o: {
  ports: StepPorts;
  commandPorts: Ports;
  ids: Ids;
  log: Logger;
  chat: () => ChatPort;
  registry: CommandRegistry;
  approvals: () => ApprovalService;
  workflows: readonly WorkflowDef[];
  leases?: LeaseOptions;
}): {
  engine: WorkflowEngine;
  port: WorkflowPort;
  probes: ProbePort;
  handlers: ActionHandler[];
  gateDecided: (rec: ApprovalRecord) => Promise<void>;
} {
  const engine = createWorkflowEngine({
    ports: o.ports,
    ids: o.ids,
    log: o.log,
    chat: o.chat,
    ...(o.leases ? { leases: o.leases } : {}),
    async requestApproval(def, run, req) {
      const cmd = o.registry.get(def.command);
      if (cmd?.kind !== 'action')
        throw new AppError('internal', `No command "${def.command}" to continue the ${def.name}.`);
      const channel = run.statusChannel ?? 'unknown';
      const caller: Caller = { userId: run.requesterId, role: 'operator', channelId: channel };
      const ctx = buildContext(
        o.commandPorts,
        caller,
        run.correlationId,
        o.log,
        createProgress(o.chat(), channel, o.log),
      );
      const gated: ActionCommand = { ...cmd, approverRole: req.approverRole };
      const rec = await o.approvals().request(gated, { continueRun: run.id }, req.plan, ctx);
      return { id: rec.id, expiresAt: rec.expiresAt };
    },
  });
  for (const w of o.workflows) engine.register(w);
  const port: WorkflowPort = {
    start: (name, input, ctx: CommandContext) =>
      engine.start(name, input, {
        caller: ctx.caller,
        correlationId: ctx.correlationId,
        progress: ctx.progress,
        log: ctx.log,
      }),
    signal: (id, event) => engine.signal(id, event),
    gatePlan: (id) => engine.gatePlan(id),
    preview: (name, input, ctx) => engine.preview(name, input, ctx.log),
  };
  const handler = (actionId: string, action: 'retry' | 'abandon'): ActionHandler => ({
    actionId,
    permission: 'operator',
    handle: async (req, caller) => ({ text: await engine.decide(req.value, action, caller.userId) }),
  });
  return {
    engine,
    port,
    probes: probePort(o.ports, o.log),
    // A gate's approval rejected or expired: its run wakes now and stops, releasing its locks.
    async gateDecided(rec) {
      const input = rec.input;
      const runId = typeof input === 'object' && input !== null && 'continueRun' in input ? input.continueRun : null;
      if (typeof runId === 'string') await engine.nudge(runId, `approval ${rec.id} decided`);
    },
    handlers: [handler(RETRY_ACTION, 'retry'), handler(ABANDON_ACTION, 'abandon')],
  };
}

/** The probes port: the health URL, then the environment's contract probes (for `/autorisen verify`). */
function probePort(ports: StepPorts, log: Logger): ProbePort {
  return {
    count: (env) => ports.probes[env]?.length ?? 0,
    record: (run, by) =>
      recordProbeRun({ store: ports.store, log }, probeRunRecord(run, { ...by, at: ports.clock.now(), runId: null })),
    async run(name) {
      const env = ports.environments.find((e) => e.name === name);
      if (!env) throw new AppError('not_found', `There is no environment "${name}".`);
      const url = `${env.baseUrl.replace(/\/+$/, '')}${env.healthPath}`;
      const status = await ports.http(url, { timeoutMs: PROBE_TIMEOUT_MS }).catch(() => null);
      const report = await runContractProbes(ports, env, ports.probes[name] ?? []);
      const healthy = status !== null && status >= 200 && status < 300;
      return { ...report, ok: report.ok && healthy, health: { url, status } };
    },
  };
}
