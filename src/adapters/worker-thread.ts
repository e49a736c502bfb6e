/**
 * Worker threads that run from the build and from source alike. The build (`npm run build`) compiles
 * `<name>.ts` to `<name>.js` next to the module that starts it, and Node runs that directly. From
 * source (tsx in development, vitest in tests) the caller's module is a `.ts` file and the worker is
 * too, but Node 20 applies no module hooks inside a worker (neither tsx's `--import` nor vitest's
 * transform reach it), so there the worker first registers tsx's loader and then imports its file.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Start the worker `<name>` that sits next to the module whose `import.meta.url` is `callerUrl`. */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const file = new URL(`./${name}.ts`, callerUrl).href;
  // tsx is a development dependency: resolved only here, never in the build.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(file)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
