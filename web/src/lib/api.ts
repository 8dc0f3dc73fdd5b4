/**
 * The UI's API access: the same HTTP clients the CLI and SDK use (one schema
 * source), pointed at this origin, carrying the token the user logged in with.
 */
import { HttpTrackingClient } from '../../../src/client/http-tracking-client.js';
import { HttpRegistryClient } from '../../../src/client/http-registry-client.js';
import { HttpDataClient } from '../../../src/client/http-data-client.js';
import { HttpStudyClient } from '../../../src/client/http-study-client.js';
import { HttpGovernanceClient } from '../../../src/client/http-governance-client.js';
import { API_PREFIX } from '../../../src/api/endpoints.js';
import { CairnError, errorFromWire } from '../../../src/core/errors.js';

const TOKEN_KEY = 'cairn.token';

export const getToken = (): string | null => localStorage.getItem(TOKEN_KEY);
export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
  current = build();
}

// Browsers require fetch to be called unbound from window.
const browserFetch: typeof fetch = (input, init) => window.fetch(input, init);

function build() {
  const opts = { url: '', token: getToken(), fetch: browserFetch, retries: 2 };
  return {
    tracking: new HttpTrackingClient(opts),
    registry: new HttpRegistryClient(opts),
    data: new HttpDataClient(opts),
    studies: new HttpStudyClient(opts),
    governance: new HttpGovernanceClient(opts),
  };
}

let current = build();
/** The clients for the current token. */
export const api = () => current;

export const authHeaders = (): Record<string, string> => {
  const t = getToken();
  return t ? { authorization: `Bearer ${t}` } : {};
};

/** A run artifact's bytes, fetched with the token (plain links would carry none). */
export async function fetchArtifact(runId: string, path: string): Promise<Blob> {
  const url = `${API_PREFIX}/runs/${encodeURIComponent(runId)}/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`;
  const res = await fetch(url, { headers: authHeaders() });
  if (!res.ok) {
    const body = await res.json().catch(() => null) as { error_code?: string; message?: string } | null;
    throw errorFromWire(body?.error_code, body?.message ?? `${res.status} ${res.statusText}`);
  }
  return res.blob();
}

/** Saves a blob under a file name through a temporary object URL. */
export function saveBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export const isAuthError = (e: unknown): boolean =>
  e instanceof CairnError && (e.code === 'UNAUTHENTICATED');
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
