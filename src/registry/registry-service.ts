/** Registry use cases: the catalogue of models and versions, over the stage workflow. */
import type { Actor } from '../core/actor.js';
import { InvalidArgument, NotFound } from '../core/errors.js';
import { decodePageToken } from '../tracking/search/index.js';
import {
  LIMITS, parseModelOrder, validateAlias, validateArtifact, validateModelName, validateSignature, validateTag,
  type ModelVersion, type Page, type RegisteredModel, type Stage,
} from './domain.js';
import type { CreateModelInput, CreateVersionInput, RegistryApi, SearchModelsInput, SearchVersionsInput } from './registry-api.js';
import { newId, pageOf, pageSize, text, type ActorScopedRegistry } from './registry-access.js';
import { StageWorkflow } from './stage-workflow.js';

export type { ActorScopedRegistry, DataValidationSource, RegistryDeps, RunSource } from './registry-access.js';

/** The registry acting as one actor: validation, roles, gates and audit over a RegistryStore. */
export class RegistryService extends StageWorkflow implements RegistryApi, ActorScopedRegistry {
  as(actor: Actor): RegistryService {
    return new RegistryService(this.deps, actor);
  }

  async createModel(input: CreateModelInput): Promise<RegisteredModel> {
    const name = validateModelName(input.name);
    await this.need('editor', name, 'create models');
    const tags = Object.fromEntries(Object.entries(input.tags ?? {}).map(([k, v]) => validateTag(k, v)));
    await this.store.insertModel({ id: newId(), name, description: text('description', input.description, LIMITS.descriptionLength) ?? null, tags, now: this.now() });
    const m = this.strip(await this.model(name));
    await this.record('registered_model.create', 'registered_model', name, null, m);
    return m;
  }

  async getModel(name: string): Promise<RegisteredModel> {
    await this.need('viewer', name, 'read models');
    return this.strip(await this.model(name));
  }

  async searchModels(input: SearchModelsInput = {}): Promise<Page<RegisteredModel>> {
    const limit = pageSize(input.maxResults);
    const orderBy = parseModelOrder(input.orderBy);
    const tags = input.tags ?? [];
    const fp = JSON.stringify(['models', input.nameLike ?? null, input.caseSensitive ?? false, input.orderBy ?? [], tags]);
    const offset = input.pageToken ? decodePageToken(input.pageToken, fp).offset : 0;
    const rows = await this.store.searchModels({
      nameLike: input.nameLike ?? null, caseSensitive: input.caseSensitive ?? false, tags, orderBy, limit: limit + 1, offset,
    });
    const page = await pageOf(rows, limit, offset, fp, (m) => this.canSee(m.name));
    return { items: page.items.map((m) => this.strip(m)), nextPageToken: page.nextPageToken };
  }

  async updateModel(name: string, input: { newName?: string; description?: string | null }): Promise<RegisteredModel> {
    await this.need('editor', name, 'rename or describe models');
    const m = await this.model(name);
    const before = this.strip(m);
    const newName = input.newName === undefined ? undefined : validateModelName(input.newName);
    const description = text('description', input.description, LIMITS.descriptionLength);
    await this.store.updateModel(m.id, { name: newName, description }, this.now());
    const after = this.strip(await this.model(newName ?? name));
    await this.record(newName && newName !== name ? 'registered_model.rename' : 'registered_model.update', 'registered_model', name, before, after);
    return after;
  }

  async deleteModel(name: string): Promise<void> {
    await this.need('editor', name, 'delete models');
    const m = await this.model(name);
    await this.store.deleteModel(m.id);
    await this.record('registered_model.delete', 'registered_model', name, this.strip(m), null);
  }

  async setModelTag(name: string, key: string, value: string): Promise<void> {
    await this.need('editor', name, 'tag models');
    const m = await this.model(name);
    const [k, v] = validateTag(key, value);
    await this.store.setModelTag(m.id, k, v, this.now());
    await this.record('registered_model.tag.set', 'registered_model', name, { [k]: m.tags[k] ?? null }, { [k]: v });
  }

  async deleteModelTag(name: string, key: string): Promise<void> {
    await this.need('editor', name, 'tag models');
    const m = await this.model(name);
    if (!(key in m.tags)) throw new NotFound(`model '${name}' has no tag '${key}'`);
    await this.store.deleteModelTag(m.id, key, this.now());
    await this.record('registered_model.tag.delete', 'registered_model', name, { [key]: m.tags[key] }, null);
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    await this.need('editor', name, 'set aliases');
    const m = await this.model(name);
    await this.versionOf(m, version);
    const a = validateAlias(alias);
    await this.store.setAlias(m.id, a, version, this.now());
    await this.record('registered_model.alias.set', 'registered_model', name, { [a]: m.aliases[a] ?? null }, { [a]: version });
  }

  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    await this.need('viewer', name, 'read models');
    const m = await this.model(name);
    const version = m.aliases[alias];
    if (version === undefined) throw new NotFound(`model '${name}' has no alias '${alias}'; set it with 'cairn models alias ${name} ${alias} VERSION'`);
    return this.versionOf(m, version);
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.need('editor', name, 'delete aliases');
    const m = await this.model(name);
    if (m.aliases[alias] === undefined) throw new NotFound(`model '${name}' has no alias '${alias}'`);
    await this.store.deleteAlias(m.id, alias, this.now());
    await this.record('registered_model.alias.delete', 'registered_model', name, { [alias]: m.aliases[alias] }, null);
  }

  async createVersion(name: string, input: CreateVersionInput): Promise<ModelVersion> {
    await this.need('editor', name, 'register versions');
    const m = await this.model(name);
    const runId = input.runId ?? null;
    const run = runId === null ? null : await this.deps.runs.getRun(runId);
    const source = input.source?.trim() || (runId ? `runs:/${runId}/model` : '');
    if (!source) throw new InvalidArgument('a version needs a source URI or a run id (its source becomes runs:/<run>/model)');
    text('source', source, LIMITS.sourceLength);
    const tags = Object.fromEntries(Object.entries(input.tags ?? {}).map(([k, v]) => validateTag(k, v)));
    // A snapshot of the run's latest metrics; JSON has no NaN or ±Infinity, so only finite values are kept.
    const metrics = Object.fromEntries((run?.metrics ?? []).filter((x) => Number.isFinite(x.value)).map((x) => [x.key, x.value]));
    const version = await this.store.insertVersion({
      modelId: m.id, stage: 'development', source, runId, tags, metrics, author: this.actor.id, now: this.now(),
      description: text('description', input.description, LIMITS.descriptionLength) ?? null,
      artifact: validateArtifact(input.format, input.flavor),
      signature: validateSignature(input.signature),
    });
    const v = await this.versionOf(m, version);
    await this.record('model_version.create', 'model_version', `${name}/${version}`, null, v);
    return v;
  }

  async getVersion(name: string, version: number): Promise<ModelVersion> {
    await this.need('viewer', name, 'read models');
    return this.versionOf(await this.model(name), version);
  }

  async searchVersions(input: SearchVersionsInput = {}): Promise<Page<ModelVersion>> {
    const limit = pageSize(input.maxResults);
    const fp = JSON.stringify(['versions', input.name ?? null, input.runId ?? null]);
    const offset = input.pageToken ? decodePageToken(input.pageToken, fp).offset : 0;
    if (input.name !== undefined) await this.need('viewer', input.name, 'read models');
    const rows = await this.store.searchVersions({ name: input.name ?? null, runId: input.runId ?? null, limit: limit + 1, offset });
    return pageOf(rows, limit, offset, fp, (v) => this.canSee(v.name));
  }

  async updateVersion(name: string, version: number, input: { description?: string | null }): Promise<ModelVersion> {
    await this.need('editor', name, 'describe versions');
    const m = await this.model(name);
    const before = await this.versionOf(m, version);
    await this.store.updateVersion(m.id, version, { description: text('description', input.description, LIMITS.descriptionLength) }, this.now());
    const after = await this.versionOf(m, version);
    await this.record('model_version.update', 'model_version', `${name}/${version}`, before, after);
    return after;
  }

  async deleteVersion(name: string, version: number): Promise<void> {
    await this.need('editor', name, 'delete versions');
    const m = await this.model(name);
    const v = await this.versionOf(m, version);
    await this.store.deleteVersion(m.id, version);
    await this.record('model_version.delete', 'model_version', `${name}/${version}`, v, null);
  }

  async setVersionTag(name: string, version: number, key: string, value: string): Promise<void> {
    await this.need('editor', name, 'tag versions');
    const m = await this.model(name);
    const v = await this.versionOf(m, version);
    const [k, val] = validateTag(key, value);
    await this.store.setVersionTag(m.id, version, k, val, this.now());
    await this.record('model_version.tag.set', 'model_version', `${name}/${version}`, { [k]: v.tags[k] ?? null }, { [k]: val });
  }

  async deleteVersionTag(name: string, version: number, key: string): Promise<void> {
    await this.need('editor', name, 'tag versions');
    const m = await this.model(name);
    const v = await this.versionOf(m, version);
    if (!(key in v.tags)) throw new NotFound(`model '${name}' version ${version} has no tag '${key}'`);
    await this.store.deleteVersionTag(m.id, version, key, this.now());
    await this.record('model_version.tag.delete', 'model_version', `${name}/${version}`, { [key]: v.tags[key] }, null);
  }

  async latestVersions(name: string, stages: readonly Stage[] = []): Promise<ModelVersion[]> {
    await this.need('viewer', name, 'read models');
    const m = await this.model(name);
    const wanted = stages.length > 0 ? stages : (await this.policyOf(m)).stages;
    const rows = await this.store.versionsInStages(m.id, wanted);
    return wanted.flatMap((s) => rows.filter((v) => v.stage === s).slice(0, 1));
  }

  /** The version's source, with `runs:/<run>/<path>` resolved against the run's artifact location, as MLflow does. */
  async downloadUri(name: string, version: number): Promise<string> {
    const v = await this.getVersion(name, version);
    const m = /^runs:\/([^/]+)\/?(.*)$/.exec(v.source);
    if (!m) return v.source;
    const run = await this.deps.runs.getRun(m[1] as string);
    return m[2] ? `${run.artifactUri.replace(/\/+$/, '')}/${m[2]}` : run.artifactUri;
  }
}
