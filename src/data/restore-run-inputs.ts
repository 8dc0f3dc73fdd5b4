/**
 * `cairn repro` brings back the dataset versions a run recorded: in a fresh
 * checkout of the run's commit the data tracked by pointer files is usually
 * absent (it is git-ignored), so each recorded version is checked out there
 * from the server's blobs before the command reruns.
 */
import { InvalidState, NotFound } from '../core/errors.js';
import type { InputRef } from '../repro/manifest.js';
import type { DataApi } from './data-api.js';
import { restoreVersion } from './workspace/restore.js';
import { serverPeer } from './workspace/transfer.js';
import { findPointers, readPointer, targetOf, Workspace } from './workspace/workspace.js';

export interface RestoredInput {
  readonly name: string;
  readonly version: number;
  /** Where it was checked out (absolute); null for an input no pointer file places. */
  readonly path: string | null;
  readonly files: number;
}

export interface RestoreInputsResult {
  readonly restored: readonly RestoredInput[];
  /** One line per input that cannot be brought back: the version or its content is not on the server. */
  readonly missing: readonly string[];
}

/**
 * For each recorded input with a version: confirms the version exists on the
 * server, and when a pointer file under `cwd` tracks that dataset, checks the
 * recorded version out at the pointer's path (the workspace is the nearest
 * `.git`/`.cairn` folder above `cwd`, here the repro worktree). Inputs
 * without a version are left to the caller (they block a repro earlier).
 * Network and server errors are thrown; only missing versions and blobs
 * are returned as `missing`.
 */
export async function restoreRunInputs(api: DataApi, url: string, cwd: string, inputs: readonly InputRef[]): Promise<RestoreInputsResult> {
  const pointers = findPointers(cwd).map((file) => ({ file, pointer: readPointer(file) }));
  const peer = serverPeer(api, url);
  const restored: RestoredInput[] = [];
  const missing: string[] = [];
  const ws = Workspace.open(cwd);
  try {
    for (const input of inputs) {
      if (input.version === null) continue;
      const ref = `${input.name}@${input.version}`;
      try {
        const v = await api.getVersion(input.name, input.version);
        const at = pointers.filter((p) => p.pointer.dataset === input.name);
        for (const { file, pointer } of at) {
          const target = targetOf(file, pointer);
          await restoreVersion(ws, { manifest: v.manifestDigest, target, kind: pointer.kind }, async () => peer, 'copy');
        }
        restored.push({ name: input.name, version: v.version, path: at[0] ? targetOf(at[0].file, at[0].pointer) : null, files: v.fileCount });
      } catch (e) {
        if (e instanceof NotFound) missing.push(`dataset version ${ref} is not on ${url}: ${e.message}`);
        else if (e instanceof InvalidState) missing.push(`dataset version ${ref} cannot be restored: ${e.message}`);
        else throw e;
      }
    }
  } finally {
    ws.close();
  }
  return { restored, missing };
}
