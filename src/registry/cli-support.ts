/** Shared pieces of the registry's CLI commands: the lazily loaded client and argument parsers. */
import { readFile } from 'node:fs/promises';
import type { CliContext } from '../cli/cli-context.js';
import { parseKeyValue } from '../cli/format.js';
import { InvalidArgument } from '../core/errors.js';
import { parseStage, parseVersion, type Stage } from './domain.js';
import type { RegistryApi } from './registry-api.js';

const clients = new WeakMap<CliContext, Promise<RegistryApi>>();

/** A registry client for the configured server, created on first use. */
export function registry(ctx: CliContext): Promise<RegistryApi> {
  let c = clients.get(ctx);
  if (!c) {
    c = (async () => {
      const cfg = await ctx.config();
      const { HttpRegistryClient } = await import('../client/http-registry-client.js');
      return new HttpRegistryClient({ url: cfg.url, token: cfg.token });
    })();
    clients.set(ctx, c);
  }
  return c;
}

/**
 * Display names for user ids (authors, approvers, actors), from the server's
 * `/user-names`; an id it does not know (`local`, a deleted user), or any id
 * when the lookup fails, is shown as it is. JSON output keeps the ids.
 */
export async function userNames(ctx: CliContext, ids: readonly string[]): Promise<(id: string) => string> {
  const unique = [...new Set(ids)].filter((id) => id !== 'local');
  if (unique.length === 0) return (id) => id;
  const cfg = await ctx.config();
  const { HttpGovernanceClient } = await import('../client/http-governance-client.js');
  const client = new HttpGovernanceClient({ url: cfg.url, token: cfg.token });
  const names: Record<string, string> = {};
  try {
    for (let i = 0; i < unique.length; i += 100) Object.assign(names, await client.userNames(unique.slice(i, i + 100)));
  } catch {
    // Names are a courtesy: the listing stands without them.
  }
  return (id) => names[id] ?? id;
}

export const version = (v: string): number => parseVersion(v);
export const stage = (s: string): Stage => parseStage(s);

export function tagMap(tags: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => {
    const kv = parseKeyValue(t);
    if (!kv) throw new InvalidArgument(`--tag '${t}' must look like key=value`);
    return kv;
  }));
}

/** Reads a file named on the command line; '-' is stdin. */
export async function readText(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new InvalidArgument(`cannot read '${path}': ${(e as Error).message}`);
  }
}
