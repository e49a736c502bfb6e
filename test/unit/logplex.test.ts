import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyLine, field, logfmt } from '../../src/core/drain/logdrain-lines.ts';
import { parseLogplexBody, parseSyslog } from '../../src/core/drain/logplex.ts';
import { fixtureBytes, fixtureMessages, frame, herokuLogsToSyslog } from '../support/logplex-frames.ts';

describe('parseLogplexBody (RFC 6587 octet counting, heroku/logplex HTTPS drains)', () => {
  it('reads the 10 frames of the logplex README POST (Content-Length 730)', () => {
    const raw = fixtureBytes('heroku/logplex_https_drain_post.heroku_logplex_readme.txt').toString('utf8');
    const body = Buffer.from(raw.slice(raw.indexOf('\n\n') + 2));
    expect(body.length).toBe(730);
    const r = parseLogplexBody(body);
    expect(r.malformed).toBe(0);
    expect(r.messages).toHaveLength(10);
    expect(r.messages[0]).toMatchObject({ app: 'erlang', proc: 'console', msg: 'Hi from erlang' });
    expect(r.messages[0]!.at).toBe(Date.UTC(2012, 6, 22, 0, 6, 26));
  });

  it('keeps the two good frames of the real batch whose counts on lines 3-5 are wrong, losing only those', () => {
    const r = parseLogplexBody(fixtureBytes('heroku/log_lines.logplex_frames.txt'));
    expect(r.malformed).toBe(3);
    expect(r.messages.map((m) => m.proc)).toEqual(['router', 'router']);
    expect(classifyLine(r.messages[0]!)).toMatchObject({ kind: 'router', status: 503, code: 'H12', latencyMs: 30000 });
  });

  it('reads every frame of the same batch once the counts are right', () => {
    const r = parseLogplexBody(frame(fixtureMessages('heroku/log_lines.logplex_frames.txt')));
    expect(r.malformed).toBe(0);
    expect(r.messages.map((m) => classifyLine(m)?.kind)).toEqual(['router', 'router', 'memory', 'load', 'router']);
    expect(classifyLine(r.messages[2]!)).toEqual({ kind: 'memory', dyno: 'web.1', totalMb: 99.74, quotaMb: 512 });
  });

  it('any batch round-trips, and one corrupted count costs only its own frame', () => {
    const msg = fc
      .tuple(fc.integer({ min: 0, max: 191 }), fc.string({ minLength: 0, maxLength: 80, unit: 'grapheme' }))
      .map(([pri, text]) => `<${pri}>1 2026-11-28T09:00:00+00:00 host app web.1 - ${text.replace(/\n/g, ' ')}`);
    fc.assert(
      fc.property(
        fc.array(msg, { minLength: 1, maxLength: 20 }),
        fc.nat(),
        fc.integer({ min: 1, max: 40 }),
        (msgs, pick, delta) => {
          const ok = parseLogplexBody(frame(msgs));
          expect(ok.malformed).toBe(0);
          expect(ok.messages.map((m) => m.msg)).toEqual(msgs.map((m) => m.slice(m.indexOf(' - ') + 3)));
          // Corrupt one frame's count (too long or too short): only it is lost.
          const bad = pick % msgs.length;
          const parts = msgs.map((m, i) => {
            const b = frame([m]);
            if (i !== bad) return b;
            const len = Buffer.byteLength(`${m}\n`);
            return Buffer.concat([
              Buffer.from(`${len + (delta % 2 ? delta : -Math.min(delta, len - 1))} `),
              b.subarray(b.indexOf(0x20) + 1),
            ]);
          });
          const r = parseLogplexBody(Buffer.concat(parts));
          expect(r.malformed).toBe(1);
          expect(r.messages).toHaveLength(msgs.length - 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a count too long by exactly the next frame does not swallow it', () => {
    const a = '<45>1 2026-11-28T09:00:00+00:00 host app web.1 - first';
    const b = '<45>1 2026-11-28T09:00:01+00:00 host app web.1 - second';
    const c = '<45>1 2026-11-28T09:00:02+00:00 host app web.1 - third';
    const fb = frame([b]);
    const bad = Buffer.concat([Buffer.from(`${Buffer.byteLength(`${a}\n`) + fb.length} ${a}\n`), fb, frame([c])]);
    const r = parseLogplexBody(bad);
    expect(r.malformed).toBe(1);
    expect(r.messages.map((m) => m.msg)).toEqual(['second', 'third']);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const r = parseLogplexBody(Buffer.from(bytes));
        expect(r.messages.length + r.malformed).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('classifyLine on real Heroku lines', () => {
  const real = fixtureBytes('heroku/log_lines.heroku_logs_format.txt')
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => classifyLine(parseSyslog(herokuLogsToSyslog(l))!));

  it('router info lines: status, method, path, latency (connect + service), dyno', () => {
    expect(real[0]).toEqual({
      kind: 'router',
      method: 'GET',
      path: '/favicon.ico',
      status: 200,
      latencyMs: 21,
      dyno: 'web.3',
      code: null,
    });
    expect(real[10]).toMatchObject({ kind: 'router', status: 503, code: 'H12', latencyMs: 34086 });
  });

  it('runtime metrics: load and memory (without quota in older lines); disk samples ignored', () => {
    expect(real[2]).toEqual({ kind: 'load', dyno: 'web.2', load1m: 0.2 });
    expect(real[3]).toEqual({ kind: 'memory', dyno: 'web.2', totalMb: 581.95, quotaMb: null });
    expect(real[4]).toBeNull();
  });

  it('R14/R15 dyno errors and Heroku Postgres metrics (format of Dev Center "Heroku Postgres Metrics Logs")', () => {
    const r14 = parseSyslog('<45>1 2026-11-28T09:00:00+00:00 host heroku web.1 - Error R14 (Memory quota exceeded)')!;
    expect(classifyLine(r14)).toEqual({ kind: 'dyno-error', dyno: 'web.1', code: 'R14' });
    const pg = parseSyslog(
      '<134>1 2026-11-28T09:00:00+00:00 host app heroku-postgres - source=DATABASE addon=postgresql-curved-12345 sample#current_transaction=1873 sample#db_size=26219348792bytes sample#tables=13 sample#active-connections=92 sample#waiting-connections=1 sample#index-cache-hit-rate=0.99723',
    )!;
    expect(classifyLine(pg)).toEqual({ kind: 'postgres', activeConnections: 92, dbSizeBytes: 26219348792 });
  });
});

describe('router codes at every level (Dev Center "Heroku Error Codes" example lines)', () => {
  // test/fixtures/heroku/log_lines.error_codes_devcenter.txt: https://devcenter.heroku.com/articles/error-codes
  const [h27, h28, h80, h81, h99] = fixtureBytes('heroku/log_lines.error_codes_devcenter.txt')
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => classifyLine(parseSyslog(herokuLogsToSyslog(l))!));

  it('at=warning: H27 (sock=client, status 499) and H28 are counted', () => {
    expect(h27).toMatchObject({ kind: 'router', method: 'POST', path: '/submit/', status: 499, code: 'H27' });
    expect(h28).toMatchObject({ kind: 'router', status: 499, code: 'H28', latencyMs: 55450 });
  });

  it('at=info: H80 (maintenance mode) and H81 (blank app), with no dyno and no timings', () => {
    expect(h80).toEqual({
      kind: 'router',
      method: 'GET',
      path: '/',
      status: 503,
      latencyMs: null,
      dyno: null,
      code: 'H80',
    });
    expect(h81).toMatchObject({ kind: 'router', status: 503, code: 'H81' });
  });

  it('at=error: H99 as before', () => {
    expect(h99).toMatchObject({ kind: 'router', status: 503, code: 'H99' });
  });

  it('an info line without a code has none', () => {
    const ok = parseSyslog(
      '<158>1 2026-11-28T09:00:00+00:00 host heroku router - at=info method=GET path="/" host=a fwd=1.2.3.4 dyno=web.1 connect=0ms service=1ms status=200 bytes=5',
    )!;
    expect(classifyLine(ok)).toMatchObject({ kind: 'router', code: null });
  });
});

describe('field (the router fast path) agrees with the full logfmt reader', () => {
  it('for any line of distinct keys with plain or quoted values', () => {
    const key = fc.constantFrom('at', 'code', 'method', 'path', 'status', 'connect', 'service', 'dyno', 'x', 'pathx');
    const value = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9/._:-]{0,12}$/),
      fc.stringMatching(/^[A-Za-z0-9 /._-]{0,12}$/).map((v) => `"${v}"`),
    );
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 8 }), (pairs) => {
        const line = pairs.map(([k, v]) => `${k}=${v}`).join(' ');
        const all = logfmt(line);
        for (const k of ['at', 'code', 'method', 'path', 'status', 'connect', 'service', 'dyno'])
          expect(field(line, k)).toBe(all.get(k));
      }),
      { numRuns: 500 },
    );
  });
});
