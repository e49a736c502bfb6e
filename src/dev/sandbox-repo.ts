/**
 * The sandbox's story, shared by the simulated GitHub and Heroku so they agree: four commits on
 * `main` of capecraft; production runs the second, staging the third, and `main` is one ahead.
 * The third commit adds an Alembic migration and changes openapi.json (see sandbox-openapi.ts).
 */
import { createHash } from 'node:crypto';
import { specBeforeWidgets, specWithWidgets } from './sandbox-openapi.ts';

/** One commit of the sandbox history; `changes` maps a path to its new text (null: deleted). */
export interface SandboxCommit {
  sha: string;
  message: string;
  author: string;
  /** Days before the sandbox started. */
  daysAgo: number;
  changes: Record<string, string | null>;
}

const json = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;

const MIGRATION_0001 = `"""create items

Revision ID: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("items")
`;

/** Additive: a new table and a nullable column, as the deploy checks want. */
const MIGRATION_0002 = `"""add widgets, items.sku

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "widgets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(80), nullable=False),
    )
    op.add_column("items", sa.Column("sku", sa.String(40), nullable=True))


def downgrade() -> None:
    op.drop_column("items", "sku")
    op.drop_table("widgets")
`;

const seed: Omit<SandboxCommit, 'sha'>[] = [
  {
    message: 'Initial FastAPI app with the items API',
    author: 'Ana Lima',
    daysAgo: 12,
    changes: {
      'README.md': '# capecraft\n\nThe capecraft API (FastAPI).\n',
      'app/main.py': 'from fastapi import FastAPI\n\napp = FastAPI(title="capecraft", version="0.1.0")\n',
      'alembic/versions/0001_create_items.py': MIGRATION_0001,
      'openapi.json': json(specBeforeWidgets()),
    },
  },
  {
    message: 'Serve /api/autorisen/ only when FEATURE_AUTORISEN is true',
    author: 'Ben Okafor',
    daysAgo: 7,
    changes: { 'app/flags.py': 'import os\n\nAUTORISEN = os.environ.get("FEATURE_AUTORISEN") == "true"\n' },
  },
  {
    message: 'Add widgets and require a sku on new items\n\nAlembic 0002 adds the widgets table and items.sku.',
    author: 'Ana Lima',
    daysAgo: 2,
    changes: {
      'alembic/versions/0002_add_widgets.py': MIGRATION_0002,
      'app/widgets.py': 'from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/api/autorisen/widgets")\n',
      'openapi.json': json(specWithWidgets()),
    },
  },
  {
    message: 'Log slow widget queries',
    author: 'Ben Okafor',
    daysAgo: 0.2,
    changes: {
      'app/widgets.py':
        'import logging\nfrom fastapi import APIRouter\n\nlog = logging.getLogger(__name__)\nrouter = APIRouter(prefix="/api/autorisen/widgets")\n',
    },
  },
];

/** The history on `main`, oldest first, with stable made-up shas. */
export const SANDBOX_HISTORY: readonly SandboxCommit[] = seed.map((c, i) => ({
  ...c,
  sha: createHash('sha1').update(`autorisen-sandbox:${i}:${c.message}`).digest('hex'),
}));

/** Index in SANDBOX_HISTORY of the commit production runs at start (staging runs the next one). */
export const PRODUCTION_COMMIT = 1;
export const STAGING_COMMIT = 2;

/** The text of `path` at commit index `at`, or null when the file does not exist there. */
export function fileAt(at: number, path: string): string | null {
  let text: string | null = null;
  for (const c of SANDBOX_HISTORY.slice(0, at + 1)) if (path in c.changes) text = c.changes[path] ?? null;
  return text;
}

/** Index of the commit a branch name or (short) sha names; -1 when none. */
export function commitIndex(ref: string): number {
  if (ref === 'main' || ref === 'HEAD' || ref === 'refs/heads/main') return SANDBOX_HISTORY.length - 1;
  const lower = ref.toLowerCase();
  if (!/^[0-9a-f]{4,40}$/.test(lower)) return -1;
  return SANDBOX_HISTORY.findIndex((c) => c.sha.startsWith(lower));
}
