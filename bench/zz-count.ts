import Database from 'better-sqlite3';
const counts = new Map<string, { n: number; ms: number }>();
const orig = Database.prototype.exec;
Database.prototype.exec = function (sql: string) { const t = performance.now(); try { return orig.call(this, sql); } finally { const c = counts.get(sql) ?? { n: 0, ms: 0 }; c.n++; c.ms += performance.now() - t; counts.set(sql, c); } };
const origPrep = Database.prototype.prepare;
const stmtStats = new Map<string, { n: number; ms: number }>();
Database.prototype.prepare = function (sql: string) {
  const st = origPrep.call(this, sql) as any;
  for (const m of ['run', 'all', 'get']) { const f = st[m].bind(st); st[m] = (...a: unknown[]) => { const t = performance.now(); try { return f(...a); } finally { const k = sql.replace(/\s+/g, ' ').slice(0, 90); const c = stmtStats.get(k) ?? { n: 0, ms: 0 }; c.n++; c.ms += performance.now() - t; stmtStats.set(k, c); } }; }
  return st;
};
const { benchAlertsStorm } = await import('/work/main/bench/alerts-storm.ts');
await benchAlertsStorm();
console.log(counts);
console.log([...stmtStats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20));
process.exit(0);
