// @ts-check
/**
 * The web process's entry (`dist/src/main.js`, what the Procfile runs) as one bundled ES module
 * plus the chunks its dynamic imports load, written over tsc's `main.js` in the same directory.
 * Why: Node 20 loads an ES module at a time (resolve, an async file read, compile, link), and the
 * bot's ~300 modules plus zod's 95 (64 of them locales it never uses) cost more at boot than
 * everything else the bot does before /healthz (docs/BENCHMARKS.md, start-up). Bundled, the same
 * code loads as a handful of files and zod shrinks to what the schemas use.
 *
 * What stays as it is:
 * - Every other package is external (Bolt, pino, better-sqlite3, octokit, pg, openapi-diff, …): they
 *   load from node_modules exactly as before, and the ones loaded at first use still are.
 * - A dynamic `import()` of our own code becomes a chunk loaded at that moment (`--splitting`), so
 *   what boot does not need (src/dev, the OpenAPI engine, the PostgreSQL store) still waits.
 * - tsc's module tree stays in dist/ beside the bundle: the CLI, `migrate.js`, the worker threads and
 *   the diff engine's version hash (which hashes its own directory) keep using it.
 * - `import.meta.url` in each module is rewritten to that module's own file in tsc's tree, so paths
 *   next to a module (migrations, worker scripts, the example config) resolve as before.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';

/** Packages compiled into the bundle; every other import of a package stays an import. */
const BUNDLED_PACKAGES = new Set(['zod']);

/** `import { z } from 'zod';` as tsc writes it. */
const ZOD_NAMED_Z = /^import \{ z \} from ['"]zod['"];$/m;

/** Which of our modules each output file holds: read by the boot-footprint test and for stack traces. */
export const BUNDLE_MAP = 'bundle-map.json';

/**
 * Bundle `<out>/src/main.js` (tsc's output) in place. esbuild is resolved from the repository's
 * node_modules (a devDependency: the build runs before Heroku prunes them).
 * @param {string} root the repository root
 * @param {string} out the build directory (dist/)
 */
export async function bundleWeb(root, out) {
  /** @type {typeof import('esbuild')} */
  let esbuild;
  try {
    esbuild = createRequire(join(root, 'package.json'))('esbuild');
  } catch (err) {
    throw new Error(`the build bundles the web entry with esbuild, which is not installed (${String(err)})`);
  }
  const srcOut = join(out, 'src');
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(srcOut, 'main.js')],
    outdir: srcOut,
    allowOverwrite: true,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // The bundled packages come from the repository's node_modules, wherever the build is written.
    nodePaths: [join(root, 'node_modules')],
    target: 'node20',
    chunkNames: 'chunk-[hash]',
    // Stack traces keep the function and class names.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [{ name: 'externals-and-own-urls', setup: (build) => setup(build, srcOut) }],
  });
  const map = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, o]) => [
      relative(srcOut, join(root, file)) || file,
      // Only what made it into the file: tree-shaking drops most of zod (its locales, JSON Schema).
      Object.entries(o.inputs)
        .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
        .map(([i]) => {
          const path = join(root, i).split(sep).join('/');
          // A package's module as `node_modules/zod/…`, ours as `src/…` (relative to dist/).
          const pkg = path.lastIndexOf('/node_modules/');
          return pkg >= 0 ? path.slice(pkg + 1) : relative(out, path).split(sep).join('/');
        }),
    ]),
  );
  writeFileSync(join(srcOut, BUNDLE_MAP), `${JSON.stringify(map, null, 1)}\n`);
}

/**
 * @param {import('esbuild').PluginBuild} build
 * @param {string} srcOut where every output file lands (entry and chunks alike)
 */
function setup(build, srcOut) {
  build.onResolve({ filter: /^[^./]/ }, (args) => {
    if (args.kind === 'entry-point') return undefined;
    const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
    return BUNDLED_PACKAGES.has(name ?? '') ? undefined : { path: args.path, external: true };
  });
  // Our modules only (not zod): every output file is in `srcOut`, so the module's own URL is its
  // path in tsc's tree relative to there.
  build.onLoad({ filter: /\.js$/ }, (args) => {
    if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
    const own = relative(srcOut, args.path).split(sep).join('/');
    const contents = readFileSync(args.path, 'utf8')
      .replaceAll('import.meta.url', `new URL(${JSON.stringify(`./${own}`)}, import.meta.url).href`)
      // `z.object(…)` through zod's namespace lets esbuild keep only the parts used: about 200 KB
      // instead of 750 KB (`{ z }` is one object holding all of zod, its 64 locales included). The
      // same bindings either way: zod's index re-exports everything `z` holds.
      .replace(ZOD_NAMED_Z, 'import * as z from "zod";');
    return { contents, loader: 'js' };
  });
}
