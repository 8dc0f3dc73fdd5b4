import { registryEndpoints as E } from '../api/registry-endpoints.js';
import type {
  Approval, ModelCard, ModelVersion, Page, PolicyRecord, RegisteredModel, Stage, StageChange,
} from '../registry/domain.js';
import type { GateReport } from '../registry/gate-evaluation.js';
import type { Lineage } from '../registry/lineage.js';
import type {
  CardInput, CreateModelInput, CreateVersionInput, DecisionInput, RegistryApi, RollbackResult, SearchModelsInput,
  SearchVersionsInput, TransitionInput, TransitionResult,
} from '../registry/registry-api.js';
import { Transport, type TransportOptions } from './transport.js';

/** RegistryApi over HTTP, acting as the transport token's user: the same contract as the in-process service. */
export class HttpRegistryClient implements RegistryApi {
  readonly transport: Transport;

  constructor(opts: TransportOptions | Transport) {
    this.transport = opts instanceof Transport ? opts : new Transport(opts);
  }

  private get t() { return this.transport; }
  private v(name: string, version: number) { return { params: { name, version: String(version) } }; }

  async createModel(input: CreateModelInput): Promise<RegisteredModel> {
    return (await this.t.json<{ model: RegisteredModel }>(E.createModel, { body: input })).model;
  }
  async getModel(name: string): Promise<RegisteredModel> {
    return (await this.t.json<{ model: RegisteredModel }>(E.getModel, { params: { name } })).model;
  }
  async searchModels(input: SearchModelsInput = {}): Promise<Page<RegisteredModel>> {
    const { orderBy, caseSensitive, tags, ...rest } = input;
    const query = {
      ...rest, caseSensitive: caseSensitive === undefined ? undefined : String(caseSensitive), orderBy: orderBy?.join(','),
      tags: tags === undefined ? undefined : JSON.stringify(tags),
    };
    return this.t.json<Page<RegisteredModel>>(E.searchModels, { query });
  }
  async updateModel(name: string, input: { newName?: string; description?: string | null }): Promise<RegisteredModel> {
    return (await this.t.json<{ model: RegisteredModel }>(E.updateModel, { params: { name }, body: input })).model;
  }
  async deleteModel(name: string): Promise<void> { await this.t.send(E.deleteModel, { params: { name } }); }
  async setModelTag(name: string, key: string, value: string): Promise<void> {
    await this.t.send(E.setModelTag, { params: { name }, body: { key, value } });
  }
  async deleteModelTag(name: string, key: string): Promise<void> {
    await this.t.send(E.deleteModelTag, { params: { name }, query: { key } });
  }
  async setAlias(name: string, alias: string, version: number): Promise<void> {
    await this.t.send(E.setAlias, { params: { name }, body: { alias, version } });
  }
  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return (await this.t.json<{ version: ModelVersion }>(E.getVersionByAlias, { params: { name, alias } })).version;
  }
  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.t.send(E.deleteAlias, { params: { name, alias } });
  }

  async createVersion(name: string, input: CreateVersionInput): Promise<ModelVersion> {
    return (await this.t.json<{ version: ModelVersion }>(E.createVersion, { params: { name }, body: input })).version;
  }
  async getVersion(name: string, version: number): Promise<ModelVersion> {
    return (await this.t.json<{ version: ModelVersion }>(E.getVersion, this.v(name, version))).version;
  }
  async searchVersions(input: SearchVersionsInput = {}): Promise<Page<ModelVersion>> {
    return this.t.json<Page<ModelVersion>>(E.searchVersions, { body: input });
  }
  async updateVersion(name: string, version: number, input: { description?: string | null }): Promise<ModelVersion> {
    return (await this.t.json<{ version: ModelVersion }>(E.updateVersion, { ...this.v(name, version), body: input })).version;
  }
  async deleteVersion(name: string, version: number): Promise<void> { await this.t.send(E.deleteVersion, this.v(name, version)); }
  async setVersionTag(name: string, version: number, key: string, value: string): Promise<void> {
    await this.t.send(E.setVersionTag, { ...this.v(name, version), body: { key, value } });
  }
  async deleteVersionTag(name: string, version: number, key: string): Promise<void> {
    await this.t.send(E.deleteVersionTag, { ...this.v(name, version), query: { key } });
  }
  async latestVersions(name: string, stages: readonly Stage[] = []): Promise<ModelVersion[]> {
    const query = { stages: stages.length ? stages.join(',') : undefined };
    return (await this.t.json<{ items: ModelVersion[] }>(E.latestVersions, { params: { name }, query })).items;
  }
  async downloadUri(name: string, version: number): Promise<string> {
    return (await this.t.json<{ uri: string }>(E.downloadUri, this.v(name, version))).uri;
  }

  async checkGates(name: string, version: number, to: Stage): Promise<GateReport> {
    return (await this.t.json<{ report: GateReport }>(E.checkGates, { ...this.v(name, version), body: { to } })).report;
  }
  async transition(name: string, version: number, input: TransitionInput): Promise<TransitionResult> {
    return this.t.json<TransitionResult>(E.transition, { ...this.v(name, version), body: input });
  }
  async decide(name: string, version: number, input: DecisionInput): Promise<Approval> {
    return (await this.t.json<{ decision: Approval }>(E.decide, { ...this.v(name, version), body: input })).decision;
  }
  async listDecisions(name: string, version: number): Promise<Approval[]> {
    return (await this.t.json<{ items: Approval[] }>(E.listDecisions, this.v(name, version))).items;
  }
  async rollback(name: string, reason?: string): Promise<RollbackResult> {
    return this.t.json<RollbackResult>(E.rollback, { params: { name }, body: { reason } });
  }
  async history(name: string, version?: number): Promise<StageChange[]> {
    return (await this.t.json<{ items: StageChange[] }>(E.history, { params: { name }, query: { version } })).items;
  }
  async lineage(name: string, version: number): Promise<Lineage> {
    return (await this.t.json<{ lineage: Lineage }>(E.lineage, this.v(name, version))).lineage;
  }

  async getCard(name: string, version: number): Promise<ModelCard> {
    return (await this.t.json<{ card: ModelCard }>(E.getCard, this.v(name, version))).card;
  }
  async setCard(name: string, version: number, input: CardInput): Promise<ModelCard> {
    return (await this.t.json<{ card: ModelCard }>(E.setCard, { ...this.v(name, version), body: input })).card;
  }

  async setPolicy(name: string, text: string): Promise<PolicyRecord> {
    return (await this.t.json<{ policy: PolicyRecord }>(E.setPolicy, { params: { name }, body: { text } })).policy;
  }
  async getPolicy(name: string, version?: number): Promise<PolicyRecord> {
    return (await this.t.json<{ policy: PolicyRecord }>(E.getPolicy, { params: { name }, query: { version } })).policy;
  }
  async listPolicies(name: string): Promise<PolicyRecord[]> {
    return (await this.t.json<{ items: PolicyRecord[] }>(E.listPolicies, { params: { name } })).items;
  }
}
