#!/usr/bin/env node
// `npx autorisen …`. An installed package carries the compiled build (`prepack` runs `npm run build`),
// which plain Node runs at once. Only a development checkout that has not been built runs the
// TypeScript sources, through tsx (a devDependency). After editing the sources of a checkout that
// has a dist/, run `npm run build` again (or delete dist/) so the CLI does not run the older build.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  const { main } = await import(compiled.href);
  await main();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main();
}
