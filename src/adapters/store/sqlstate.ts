/**
 * The SQLSTATE of a pg error, if any. Its own module, without `pg`: tx-retry.ts needs it on SQLite
 * too, and a bot on SQLite never loads pg (postgres.ts is imported only when DATABASE_URL is set).
 */
export function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
