import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Slack answers response_url posts at once; a reply that takes longer than this is given up. */
export const RESPONSE_URL_TIMEOUT_MS = 10_000;

// Keep-alive agents: every reply goes to the same host (hooks.slack.com), so connections are reused.
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 32 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 32 }),
};

/**
 * POST a JSON reply to a response_url with node:http(s) rather than fetch: this runs once per
 * command right after the ack, and measured at ~0.6 ms of CPU per reply through undici's fetch it
 * was what delayed the next request's ack (bench/slack-ack.ts). Resolves with the HTTP status.
 */
export function postToResponseUrl(url: string, body: unknown): Promise<number> {
  const target = new URL(url);
  const isHttps = target.protocol === 'https:';
  if (!isHttps && target.protocol !== 'http:')
    return Promise.reject(new Error(`response_url has an unsupported scheme: ${target.protocol}`));
  const payload = Buffer.from(JSON.stringify(body));
  const send = isHttps ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        agent: isHttps ? agents.https : agents.http,
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length },
        timeout: RESPONSE_URL_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('timeout', () =>
      req.destroy(new Error(`response_url did not answer within ${RESPONSE_URL_TIMEOUT_MS} ms`)),
    );
    req.once('error', reject);
    req.end(payload);
  });
}
