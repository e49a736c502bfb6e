import { describe, expectTypeOf, it } from 'vitest';
import {
  type Done,
  done,
  type Failed,
  failed,
  faulty,
  outputOf,
  type StepRef,
  type StepResult,
  type Waiting,
  wait,
} from '../../src/core/workflow.ts';
import type {
  HookContext,
  RegisteredWorkflow,
  Step,
  StepContext,
  StepState,
  WorkflowDef,
} from '../../src/services/workflows/types.ts';
import { registered } from '../../src/services/workflows/types.ts';
import { type BuiltRelease, buildOn } from '../../src/workflows/steps/heroku-steps.ts';
import { releaseWorkflow } from '../../src/workflows/release.ts';

/**
 * The engine's public API, pinned at the type level (checked by `tsc`, as bolt-js pins its listener
 * types): what a step declares it produces is what a later step reads by reference, a step cannot
 * hand on anything else, and a typed workflow registers without a cast. `@ts-expect-error` lines
 * are the mistakes the compiler must refuse.
 */
interface Pinned {
  releaseId: string;
  version: number;
}
const pin: Step<Pinned, { asked: boolean }> = {
  name: 'pin',
  title: 'Pin a release',
  async run(ctx, state) {
    expectTypeOf(state.scratch).toEqualTypeOf<Partial<{ asked: boolean }>>();
    expectTypeOf(ctx.save).parameter(0).toEqualTypeOf<Partial<{ asked: boolean }>>();
    // @ts-expect-error a step saves only its own scratch
    await ctx.save({ other: 1 });
    return done({ releaseId: 'r1', version: 3 });
  },
};

describe('the workflow engine API', () => {
  it('answers done, wait and failed as the step result variants', () => {
    expectTypeOf(done({ a: 1 })).toEqualTypeOf<Done<{ a: number }>>();
    expectTypeOf(done()).toEqualTypeOf<Done<Record<string, never>>>();
    expectTypeOf(wait({ until: 1 })).toEqualTypeOf<Waiting>();
    expectTypeOf(failed('no')).toEqualTypeOf<Failed>();
    expectTypeOf(faulty('no', ['rollback'])).toEqualTypeOf<Failed>();
    expectTypeOf<Failed>().toMatchTypeOf<StepResult<Pinned>>();
    expectTypeOf<Waiting>().toMatchTypeOf<StepResult<Pinned>>();
    // @ts-expect-error data is an object, handed on under the step's name
    done(3);
  });

  it('types a step by what it produces; it cannot hand on anything else', () => {
    expectTypeOf(pin).toMatchTypeOf<StepRef<Pinned>>();
    expectTypeOf(buildOn('staging', 'abc')).toMatchTypeOf<StepRef<BuiltRelease>>();
    const wrong: Step<Pinned> = {
      name: 'wrong',
      title: 'Wrong',
      // @ts-expect-error the declared output has a version
      run: async () => done({ releaseId: 'r1' }),
    };
    expectTypeOf(wrong).toMatchTypeOf<Step>();
  });

  it('reads an earlier step by reference, typed by what that step declares', () => {
    const reader: Step<{ promoted: string }> = {
      name: 'reader',
      title: 'Read the pinned release',
      async run(_ctx, state) {
        const pinned = state.output(pin);
        expectTypeOf(pinned).toEqualTypeOf<Pinned | undefined>();
        expectTypeOf(state.output(buildOn('staging', 'abc'))).toEqualTypeOf<BuiltRelease | undefined>();
        // @ts-expect-error the pin step produces no slugId
        pinned?.slugId;
        // @ts-expect-error steps are named by reference, not by a string
        state.output('pin');
        return pinned ? done({ promoted: pinned.releaseId }) : failed('nothing pinned');
      },
    };
    expectTypeOf(reader.run).parameter(1).toEqualTypeOf<StepState<object>>();
    expectTypeOf(outputOf({}, pin)).toEqualTypeOf<Pinned | undefined>();
  });

  it('gives a step its context (ports, save, the workflow name) and a hook the typed input', () => {
    expectTypeOf<StepContext>().toHaveProperty('workflow').toEqualTypeOf<string>();
    expectTypeOf<StepContext>().toHaveProperty('save');
    expectTypeOf<HookContext<{ env: string }>>().toHaveProperty('input').toEqualTypeOf<{ env: string }>();
  });

  it('types a workflow by its input and request; a typed workflow registers as a WorkflowDef without a cast', () => {
    type Input = { env: string; releaseId: string };
    const def: WorkflowDef<Input, { env: string }> = {
      name: 'example',
      command: 'example',
      prepare: (r) => ({ env: r.env, releaseId: 'r1' }),
      env: (i) => i.env,
      locks: (i) => [i.env],
      title: (i) => `Example on ${i.env}`,
      steps: () => [pin],
      async started(ctx) {
        expectTypeOf(ctx.input).toEqualTypeOf<Input>();
      },
    };
    expectTypeOf(def.steps).returns.toEqualTypeOf<Step[]>();
    expectTypeOf(registered(() => def)).toEqualTypeOf<RegisteredWorkflow>();
    expectTypeOf(registered(releaseWorkflow)).toEqualTypeOf<RegisteredWorkflow>();
    // @ts-expect-error a workflow's title gets the input its prepare made
    const bad: WorkflowDef<Input> = { ...def, title: (i: { other: number }) => String(i.other) };
    expectTypeOf(bad).toMatchTypeOf<WorkflowDef>();
  });
});
