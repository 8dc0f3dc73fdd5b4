/**
 * Webhook signatures. Each delivery carries
 * `Cairn-Signature: t=<epoch ms>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`;
 * the timestamp inside the signed text stops replays of old deliveries.
 *
 * @example receiver side
 * const ok = verifyWebhookSignature(secret, req.headers['cairn-signature'], rawBody);
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'cairn-signature';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** True when `header` is a valid signature of `body` made within `toleranceMs` of `now`. */
export function verifyWebhookSignature(
  secret: string, header: string | undefined, body: string, opts: { now?: number; toleranceMs?: number } = {},
): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const t = Number(m[1]);
  if (Math.abs((opts.now ?? Date.now()) - t) > (opts.toleranceMs ?? 5 * 60_000)) return false;
  const want = Buffer.from(signWebhook(secret, t, body).slice(-64), 'hex');
  return timingSafeEqual(want, Buffer.from(m[2] ?? '', 'hex'));
}
