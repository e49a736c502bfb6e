/** One contract probe's answer. */
export interface ProbeOutcome {
  name: string;
  url: string;
  expect: number;
  status: number | null;
  error: string | null;
  ok: boolean;
}

/** An environment's contract probes, run now (config probes:). */
export interface ProbeRun {
  env: string;
  flag: 'on' | 'off' | null;
  results: ProbeOutcome[];
  skipped: number;
  ok: boolean;
}

/** Contract probes as commands see them (`/autorisen verify`). */
export interface ProbePort {
  /** Health URL plus every probe configured for `env` that applies to the flag's current state. */
  run(env: string): Promise<ProbeRun & { health: { url: string; status: number | null } }>;
  /** How many probes `env` has configured. */
  count(env: string): number;
  /**
   * Keep a run's answer for `/autorisen checklist`, as asked by `actor` (`trigger`: verify, flag).
   * Never throws: a storage failure is logged, and the command answers with what the probes said.
   */
  record(
    run: ProbeRun & { health: { url: string; status: number | null } },
    by: { trigger: string; actor: string; correlationId: string },
  ): Promise<void>;
}
