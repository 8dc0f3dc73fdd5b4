/**
 * HTTP transport for /api/v1: builds URLs from the route table, sends JSON,
 * maps `{error_code, message}` back to Cairn's error classes, and retries
 * safe requests (GET, PUT, DELETE, or anything carrying an idempotency key)
 * with exponential backoff on network errors, 429 and 5xx.
 */
import { API_PREFIX, type Endpoint } from '../api/endpoints.js';
import { CairnError, Unauthenticated, errorFromWire, Internal } from '../core/errors.js';

export interface TransportOptions {
  readonly url: string;
  readonly token?: string | null;
  /** Attempts for a retryable request (default 5). */
  readonly retries?: number;
  /** First backoff in ms, doubled each retry (default 100). */
  readonly backoffMs?: number;
  readonly fetch?: typeof fetch;
}

export interface CallArgs {
  readonly params?: Record<string, string>;
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  readonly raw?: Uint8Array | AsyncIterable<Uint8Array>;
  /** Marks a POST/PATCH safe to retry (it carries an idempotency key). */
  readonly idempotent?: boolean;
}

type BodyInit = NonNullable<RequestInit["body"]>;
const encodeWildcard = (p: string) => p.split('/').map(encodeURIComponent).join('/');

export class Transport {
  readonly baseUrl: string;
  private readonly token: string | null;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly doFetch: typeof fetch;

  constructor(opts: TransportOptions) {
    this.baseUrl = opts.url.replace(/\/+$/, '');
    this.token = opts.token ?? null;
    this.retries = opts.retries ?? 5;
    this.backoffMs = opts.backoffMs ?? 100;
    this.doFetch = opts.fetch ?? fetch;
  }

  urlFor(ep: Endpoint, args: CallArgs): string {
    let path = ep.path.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(args.params?.[k] ?? ''));
    if (path.endsWith('*')) path = path.slice(0, -1) + encodeWildcard(args.params?.['*'] ?? '');
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(args.query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    return `${this.baseUrl}${API_PREFIX}${path}${s ? `?${s}` : ''}`;
  }

  /** Sends a request and returns the response; throws CairnError on an error status. */
  async send(ep: Endpoint, args: CallArgs = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: BodyInit | undefined;
    if (args.raw !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      body = (args.raw instanceof Uint8Array ? args.raw : toWebStream(args.raw)) as BodyInit;
    } else if (args.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(args.body);
    }
    // A streamed body cannot be replayed, so only buffered requests retry.
    const retryable = (ep.method === 'GET' || ep.method === 'PUT' || ep.method === 'DELETE' || args.idempotent === true)
      && !(args.raw !== undefined && !(args.raw instanceof Uint8Array));
    const attempts = retryable ? this.retries : 1;
    const streamed = body !== undefined && !(body instanceof Uint8Array) && typeof body !== 'string';
    const url = this.urlFor(ep, args);
    let lastErr: unknown;
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(this.backoffMs * 2 ** (i - 1) * (0.75 + Math.random() * 0.5));
      let res: Response;
      try {
        res = await this.doFetch(url, { method: ep.method, headers, body, ...(streamed ? STREAMED : {}) } as RequestInit);
      } catch (e) {
        lastErr = new Internal(`cannot reach Cairn at ${this.baseUrl}: ${(e as Error).cause ? String((e as Error & { cause: unknown }).cause) : (e as Error).message}; start it with 'cairn server' or set CAIRN_URL`);
        continue;
      }
      if (res.ok) return res;
      const err = await toError(res);
      if ((res.status === 429 || res.status >= 500) && i < attempts - 1) { lastErr = err; continue; }
      throw err;
    }
    throw lastErr;
  }

  async json<T>(ep: Endpoint, args: CallArgs = {}): Promise<T> {
    const res = await this.send(ep, args);
    return (await res.json()) as T;
  }
}

async function toError(res: Response): Promise<CairnError> {
  const text = await res.text();
  try {
    const b = JSON.parse(text) as { error_code?: string; message?: string; details?: Record<string, unknown> };
    if (b.message) return errorFromWire(b.error_code, b.message, b.details);
  } catch { /* not JSON */ }
  if (res.status === 401) return new Unauthenticated('the server wants a token; set CAIRN_TOKEN');
  return new Internal(`HTTP ${res.status} from server: ${text.slice(0, 200)}`);
}

/**
 * A streamed upload is sent half-duplex, and with redirects refused: fetch
 * clones a request that may follow a redirect, and cloning tees its body
 * stream, which would keep every uploaded byte in memory until the end.
 */
const STREAMED = { duplex: 'half', redirect: 'error' } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function toWebStream(it: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iter = it[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(c) {
      const { value, done } = await iter.next();
      if (done) c.close();
      else c.enqueue(value);
    },
    async cancel() { await iter.return?.(); },
  });
}
