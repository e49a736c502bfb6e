import { stdin, stdout } from 'node:process';
import type { Config } from './config.ts';
import type { Role } from './core/roles.ts';
import { Registry } from './core/registry.ts';
import type { ActionHandler } from './core/transport.ts';
import { allCommands, workflowCatalog } from './catalog.ts';
import { randomIds, systemClock } from './adapters/system-clock.ts';
import { openStore } from './adapters/store/sql-store.ts';
import { invalidateOnRelease } from './adapters/heroku/release-webhook-invalidation.ts';
import type { Shell } from './dev/shell.ts';
import type { ChatPort } from './ports/chat.ts';
import type { DirectoryPort } from './ports/directory.ts';
import { waivedGates } from './core/environment.ts';
import { SlackPacer } from './core/slack-pacer.ts';
import { CommandDispatcher } from './services/dispatch/dispatcher.ts';
import type { Ports } from './services/context.ts';
import { releaseInterruptedFlagLocks } from './services/approvals/settle.ts';
import { settleLegacyDeploys } from './services/deploys/legacy-deploys.ts';
import { alertActionHandlers } from './services/alerts/actions.ts';
import { startAlertDelivery, type AlertDelivery } from './services/alerts/delivery.ts';
import { createAlertIntake } from './services/alerts/intake.ts';
import { webhookRoutes } from './adapters/webhooks/routes.ts';
import { chartRoutes } from './adapters/charts/chart-route.ts';
import { logdrainRoute } from './adapters/webhooks/logdrain-route.ts';
import { createMetricsReports } from './services/drain/metrics-report.ts';
import { changePlans } from './services/deploys/change-plans.ts';
import { gatherChecklist } from './services/checklist-facts.ts';
import { drainChartRoutes } from './adapters/charts/drain-chart-routes.ts';
import { loadDevKit } from './app/dev-kit.ts';
import { DRAIN_SWEEP_MS } from './services/drain/watch.ts';
import { wireDrain } from './app/drain-wiring.ts';
import { createAlertCharts } from './services/alerts/charts.ts';
import type { HomeService } from './services/home/home-service.ts';
import { observeStore } from './services/home/observe-store.ts';
import { HOME_PEER_POLL_MS, watchPeerChanges } from './services/home/peer-changes.ts';
import { wireWorkflows } from './services/workflows/wiring.ts';
import {
  type App,
  type AppOptions,
  APPROVAL_SWEEP_MS,
  HOME_PRUNE_MS,
  PROBE_RUN_RETENTION_MS,
} from './app/app-options.ts';
import { boundedStop, DELIVERY_STOP_MS } from './app/bounded-stop.ts';
import { slackHome } from './app/home-wiring.ts';
import { vendorPorts } from './app/vendor-ports-wiring.ts';
import { workflowTuning } from './app/workflow-tuning.ts';
import { wireTeamOps } from './app/ops-wiring.ts';
import { wireBreakGlass } from './app/break-glass-wiring.ts';
import { storeHealth } from './app/store-health.ts';

// The options, the App interface and the sweep intervals live in src/app/app-options.ts; re-exported for importers.
export { type App, type AppOptions, APPROVAL_SWEEP_MS, HOME_PRUNE_MS } from './app/app-options.ts';

/** The composition root: config → store → adapters → services → transport. */
export async function createApp(config: Config, options: AppOptions): Promise<App> {
  const log = options.logger;
  // A safety gate written off in the config is said out loud at every boot (issue 9 §3).
  for (const env of config.environments) for (const gate of waivedGates(env)) log.warn({ env: env.name }, gate);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  // Every write to something the Home tab shows refreshes it for recent viewers (issue 13).
  let home: HomeService | null = null;
  // Team operations (issue 23): every lock release gives the environment's lock queue its turn.
  const ops = wireTeamOps({ clock, log, ids, chat: () => chat, live: () => ({ ports, dispatcher, actionHandlers }) });
  const store = ops.observe(observeStore(await openStore(config.database, log), (kind) => home?.changed(kind)));
  const registry = new Registry(allCommands);
  const dev = await loadDevKit(config);

  const vendor = { store, clock, log, dev };
  const { sandbox, readCache, herokuView, heroku, github, specDiff, specs } = vendorPorts(config, options, vendor);

  const ports: Ports = {
    environments: config.environments,
    heroku,
    herokuReads: herokuView('low'),
    github,
    specDiff,
    specs,
    store,
    clock,
    ids,
    catalog: registry.commands,
    alertRouting: config.alerts,
    diffAllowedHosts: config.diff.allowedHosts,
    rollout: { ...config.release, namespace: config.diff.namespace, releaseTasks: config.release.tasks },
    ...(options.flagReadbackWaitsMs ? { flagReadbackWaitsMs: options.flagReadbackWaitsMs } : {}),
    // The shell has no public URL for a drain: its metrics advice is to replay a recording.
    metrics: createMetricsReports({ store, config, ...(dev ? { noDataHint: dev.replayHint } : {}) }),
    changePlans,
    checklist: { gather: gatherChecklist },
  };

  const roleOverrides = new Map<string, Role>();
  let shell: Shell | null = null;
  let shellOutput: import('node:stream').Writable | null = null;
  let chat: ChatPort;
  let directory: DirectoryPort = { groupsOf: async () => [] };
  // One Slack pacer: replies and alert posts share Slack's 1 post/s per channel and its Retry-After.
  const slackPacer = new SlackPacer(() => clock.now());
  if (dev) {
    const io = options.shellIO ?? { input: stdin, output: stdout, interactive: Boolean(stdin.isTTY) };
    shell = new dev.Shell(io, config.shell, roleOverrides, ids, options.freshDatabase !== true);
    shellOutput = io.output;
    chat = shell.chat;
  } else {
    const slack = await import('./adapters/slack/chat.ts');
    chat = slack.createSlackChat(config, log, { ...options.slackChat, pacer: slackPacer });
    const dir = await import('./adapters/slack/directory.ts');
    directory = dir.createSlackDirectory(config, log);
  }

  // Alerts: the delivery worker posts from the store (the outbox), so it runs wherever Slack is
  // reachable; webhooks are accepted on the HTTP port. Its ChatPort neither paces nor waits out 429s
  // itself: the worker paces per channel and honours Retry-After without blocking other channels.
  let delivery: AlertDelivery | null = null;
  const poke = () => delivery?.poke();
  const actionHandlers: ActionHandler[] = alertActionHandlers({ store, clock, ids, poke });
  // Workflows (issue 11): deploy, rollback, release, task, promote (src/catalog.ts), on one engine.
  const tuning = workflowTuning(config, options, sandbox);
  const wf = wireWorkflows({
    ports: {
      environments: config.environments,
      heroku,
      github,
      specDiff,
      specs,
      store,
      clock,
      http: tuning.http,
      pollMs: tuning.pollMs,
      herokuRemaining: () => readCache.remaining(),
      bakePollMs: tuning.bakePollMs,
      probes: config.probes,
    },
    commandPorts: ports,
    ids,
    log,
    chat: () => chat,
    registry,
    approvals: () => dispatcher.approvalService,
    workflows: workflowCatalog.map((w) => w.workflow(tuning.settings)),
    ...(options.workflows?.lease ? { leases: options.workflows.lease } : {}),
  });
  ports.workflows = wf.port;
  ports.probes = wf.probes;
  actionHandlers.push(...wf.handlers);
  const dispatcher = new CommandDispatcher({
    config,
    registry,
    ports,
    chat,
    directory,
    log,
    actionHandlers,
    roleOverrides,
    decided: wf.gateDecided,
  });
  const glass = wireBreakGlass({ inner: dispatcher, config, registry, ports, chat, log });

  // Log drain (issue 12) and the guard on its minutes (issue 21), with the shell's /drain-replay.
  const drain = wireDrain({
    config,
    store,
    clock,
    ids,
    log,
    heroku,
    ports,
    roleOverrides,
    shell,
    poke,
    dispatcher: () => dispatcher,
    shellChat: config.mode === 'shell' ? chat : null,
  });
  const { drainWatch, drainIntake, guard } = drain;

  const timers: NodeJS.Timeout[] = [];
  const sweep = () =>
    dispatcher.approvalService.expireDue().catch((err) => log.warn({ err }, 'approval expiry sweep failed'));
  let transport: { stop(): Promise<void> } | null = null;

  return {
    config,
    store,
    dispatcher,
    drainWatch,
    ops,
    guard,
    breakGlass: glass,
    async start() {
      timers.push(setInterval(sweep, options.approvalSweepMs ?? APPROVAL_SWEEP_MS).unref());
      ops.start(timers, options, { config, heroku: ports.herokuReads ?? heroku, github, shell });
      glass.start(timers, options.breakGlassSweepMs);
      // Approvals a dead process left running are settled by reading the vendor back; then the flag
      // locks it held are released, so neither the kill switch nor `flag on` waits for it (issue 9 §1).
      void dispatcher.approvalService
        .settleInterrupted()
        .then((n) => {
          if (n > 0) log.info({ count: n }, 'settled interrupted approvals');
          return releaseInterruptedFlagLocks(
            { store, clock, log },
            config.environments.map((e) => e.name),
          );
        })
        .catch((err: unknown) => log.error({ err }, 'settling interrupted changes failed'));
      const drainMs = options.drainSweepMs ?? DRAIN_SWEEP_MS;
      if (drainMs > 0) timers.push(setInterval(() => void drainWatch.sweep(), drainMs).unref());
      timers.push(...guard.timers(options.guardLookMs));
      // Probe runs are a few a day; a quarter's worth is kept (and always each environment's newest).
      const pruneProbes = () => void store.probeRuns.prune(clock.now() - PROBE_RUN_RETENTION_MS).catch(() => 0);
      timers.push(setInterval(pruneProbes, HOME_PRUNE_MS).unref());
      // Deploys an older version of the bot left in its deploys table: settled by reading Heroku back.
      void settleLegacyDeploys({ store, heroku, chat: () => chat, clock, log }).then(
        (n) => n > 0 && log.info({ count: n }, 'settled deploys left by an earlier version'),
        (err: unknown) => log.error({ err }, 'settling legacy deploys failed'),
      );
      void wf.engine.resume().then(
        (n) => n > 0 && log.info({ count: n }, 'resumed unfinished workflow runs'),
        (err: unknown) => log.error({ err }, 'resuming workflow runs failed'),
      );
      if (shell) {
        if (sandbox) shellOutput?.write(`${sandbox.banner}\n`);
        await shell.run(glass.dispatcher);
        return { url: null };
      }
      const { createSlackTransport } = await import('./adapters/slack/transport.ts');
      const { createSlackChat } = await import('./adapters/slack/chat.ts');
      const alertChat = createSlackChat(config, log, { ...options.slackChat, rateLimitRetries: 0, postIntervalMs: 0 });
      drain.useChat(alertChat);
      // Activity charts on alert messages: the sparkline always, the image when PUBLIC_URL is set.
      const charts = createAlertCharts({ activity: store.alertActivity, config, log });
      delivery = startAlertDelivery({
        store,
        chat: alertChat,
        clock,
        ids,
        log,
        config,
        charts,
        pacer: slackPacer,
        ...(options.alertDelivery ? { options: options.alertDelivery } : {}),
      });
      const intake = createAlertIntake({ store, config, clock, ids, log, onAccepted: poke });
      const homeService = await slackHome(config, options, { heroku, store, clock, log, dispatcher });
      home = homeService;
      timers.push(setInterval(() => void homeService.prune().catch(() => undefined), HOME_PRUNE_MS).unref());
      // Another instance's writes (a flag flipped through it): drop what this one cached for Home.
      const peers = watchPeerChanges({ store, log, onChange: (kind) => homeService.invalidate(kind) });
      void peers.check();
      timers.push(setInterval(() => void peers.check(), options.homePeerPollMs ?? HOME_PEER_POLL_MS).unref());
      const t = createSlackTransport({
        config,
        dispatcher: glass.dispatcher,
        logger: log,
        dedup: store.dedup,
        now: () => clock.now(),
        ...(options.socketMode ? { socketMode: options.socketMode } : {}),
        home: {
          opened: (userId) => homeService.opened(userId),
          responder: (userId) => ({ reply: (message) => homeService.notice(userId, message.text) }),
        },
        routes: [
          ...webhookRoutes({
            config,
            sink: invalidateOnRelease(intake, (app) => readCache.invalidate(app)),
            log,
            now: () => clock.now(),
          }),
          ...chartRoutes({ store, now: () => clock.now(), log }),
          ...drainChartRoutes({ metrics: ports.metrics!, guards: () => ports.guards, config, log }),
          logdrainRoute({
            config,
            log,
            now: () => clock.now(),
            sink: drainIntake,
          }),
        ],
        ...(options.shutdownGraceMs !== undefined ? { shutdownGraceMs: options.shutdownGraceMs } : {}),
        isHealthy: storeHealth(store),
      });
      transport = t;
      const { url } = await t.start();
      log.info({ url, mode: config.mode, store: store.kind }, 'autorisen-bot listening');
      return { url };
    },
    async stop() {
      for (const t of timers) clearInterval(t);
      home?.stop();
      await wf.engine.stop();
      // At most the shutdown grace (src/shutdown.ts), then the rest fits in SHUTDOWN_CLOSE_RESERVE_MS.
      if (transport) await transport.stop();
      if (delivery) await boundedStop(delivery.stop(), DELIVERY_STOP_MS, log);
      await store.close();
    },
  };
}
