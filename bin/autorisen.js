#!/usr/bin/env node
// `npx autorisen …`: the project runs TypeScript directly, so register tsx's ESM loader first.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main();
