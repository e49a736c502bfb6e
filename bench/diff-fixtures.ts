/** Deterministic FastAPI-shaped OpenAPI 3.1 pair for the diff benchmark (500 operations, linked models). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Obj = Record<string, unknown>;

/** A small deterministic PRNG (mulberry32) so every run benchmarks the same documents. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = 120;
const OPERATIONS = 500;

function model(i: number, rand: () => number): Obj {
  const ref = (j: number): Obj => ({ $ref: `#/components/schemas/Model${j % MODELS}` });
  const props: Obj = {
    id: { type: 'integer', title: 'Id' },
    name: { type: 'string', maxLength: 120, title: 'Name' },
    note: { anyOf: [{ type: 'string' }, { type: 'null' }], title: 'Note' },
    status: { type: 'string', enum: ['draft', 'active', 'archived'], title: 'Status' },
    amount: { type: 'number', minimum: 0, title: 'Amount' },
    // Deep links: every model points at the next ones and at itself (recursion is normal).
    next: { anyOf: [ref(i + 1), { type: 'null' }] },
    related: { type: 'array', items: ref(i + 2 + Math.floor(rand() * 5)), title: 'Related' },
    parent: { anyOf: [ref(i), { type: 'null' }] },
  };
  for (let k = 0; k < 8; k++)
    props[`field_${k}`] = {
      anyOf: [{ type: 'string', maxLength: 50 + k }, { type: 'null' }],
      title: `Field ${k}`,
      description: `Field ${k} of model ${i}, generated for the benchmark.`,
    };
  return { type: 'object', title: `Model${i}`, properties: props, required: ['id', 'name', 'status'] };
}

/** The base document. */
export function fastapiBench(): Obj {
  const rand = rng(42);
  const schemas: Obj = {};
  for (let i = 0; i < MODELS; i++) schemas[`Model${i}`] = model(i, rand);
  schemas.HTTPValidationError = {
    type: 'object',
    properties: { detail: { type: 'array', items: { $ref: '#/components/schemas/ValidationError' } } },
  };
  schemas.ValidationError = {
    type: 'object',
    required: ['loc', 'msg', 'type'],
    properties: {
      loc: { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
      msg: { type: 'string' },
      type: { type: 'string' },
    },
  };
  const paths: Obj = {};
  for (let i = 0; i < OPERATIONS; i++) {
    const m = `#/components/schemas/Model${i % MODELS}`;
    const prefix = i % 10 === 0 ? '/api/legacy' : '/api/autorisen';
    const op = (method: string): Obj => ({
      summary: `Op ${i}`,
      operationId: `op_${i}_${method}`,
      parameters: [
        { name: 'item_id', in: 'path', required: true, schema: { type: 'integer', title: 'Item Id' } },
        { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 100, default: 20 } },
        { name: 'q', in: 'query', required: false, schema: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
      ],
      ...(method === 'put'
        ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: m } } } } }
        : {}),
      responses: {
        '200': { description: 'Successful Response', content: { 'application/json': { schema: { $ref: m } } } },
        '422': {
          description: 'Validation Error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/HTTPValidationError' } } },
        },
      },
    });
    paths[`${prefix}/resource${i}/{item_id}`] = i % 2 ? { get: op('get') } : { put: op('put') };
  }
  return { openapi: '3.1.0', info: { title: 'bench', version: '1' }, paths, components: { schemas } };
}

/** The revision: a handful of model, parameter and path changes. */
export function fastapiBenchRevision(base: Obj): Obj {
  const rev = structuredClone(base) as {
    paths: Record<string, Record<string, Obj>>;
    components: { schemas: Record<string, Obj & { properties: Record<string, Obj>; required: string[] }> };
  };
  const s = rev.components.schemas;
  s.Model3!.required.push('note');
  s.Model7!.properties.name!.maxLength = 60;
  (s.Model11!.properties.status as { enum: string[] }).enum.push('deleted');
  delete s.Model20!.properties.field_3;
  s.Model40!.properties.amount = { type: 'string', title: 'Amount' };
  delete rev.paths['/api/autorisen/resource5/{item_id}'];
  (rev.paths['/api/autorisen/resource7/{item_id}']!.get!.parameters as Obj[])[1]!.required = true;
  return rev as unknown as Obj;
}

/** Where the GitHub spec packages are unpacked on demand (outside node_modules: `npm ci` never installs them). */
const GITHUB_SPEC_CACHE = join(tmpdir(), 'autorisen-bench-github-specs');
/** The two @octokit/openapi versions compared; pinned so runs are comparable. */
const GITHUB_SPEC_VERSIONS = ['22.0.0', '23.0.2'] as const;

/**
 * GitHub's REST spec from two @octokit/openapi versions, fetched with `npm pack` into a cache the first
 * time (about 900 MB unpacked, which is why they are not devDependencies). Null, with the reason, when
 * the registry cannot be reached; the benchmark then skips that case and says so.
 */
export function githubPair():
  | { base: string; revision: string; baseVersion: string; revVersion: string }
  | { skipped: string } {
  const specPath = (version: string): string =>
    join(GITHUB_SPEC_CACHE, version, 'package', 'generated', 'api.github.com.json');
  for (const version of GITHUB_SPEC_VERSIONS) {
    if (existsSync(specPath(version))) continue;
    const dir = join(GITHUB_SPEC_CACHE, version);
    mkdirSync(dir, { recursive: true });
    const packed = spawnSync('npm', ['pack', `@octokit/openapi@${version}`, '--silent'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const tarball = packed.stdout.trim().split('\n').pop();
    if (packed.status !== 0 || !tarball) return { skipped: `npm pack @octokit/openapi@${version} failed` };
    const untar = spawnSync('tar', ['-xzf', tarball, 'package/generated/api.github.com.json'], { cwd: dir });
    rmSync(join(dir, tarball), { force: true });
    if (untar.status !== 0) return { skipped: `unpacking @octokit/openapi@${version} failed` };
  }
  const [baseVersion, revVersion] = GITHUB_SPEC_VERSIONS;
  return { base: specPath(baseVersion), revision: specPath(revVersion), baseVersion, revVersion };
}
