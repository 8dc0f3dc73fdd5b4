/**
 * The registry's CLI commands: `cairn models …` and `cairn gate check`.
 * Thin: parse arguments, call the RegistryApi (the HTTP client, loaded only
 * when an action runs), print.
 */
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { formatTime } from '../cli/format.js';
import { collect, examples } from '../cli/options.js';
import { allPages } from '../cli/all-pages.js';
import { renderTable } from '../cli/table.js';
import { InvalidArgument } from '../core/errors.js';
import { ARTIFACT_FORMATS, type ModelVersion } from './domain.js';
import { formatLineage } from './lineage.js';
import type { SignatureInput } from './registry-api.js';
import { readText, registry, tagMap, userNames, version } from './cli-support.js';
import { registerGateCommands, registerStageCommands } from './stage-commands.js';

export function registerRegistryCommands(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('Register models and versions, move them through stages behind gates, roll back');
  registerCatalog(models, ctx);
  registerStageCommands(models, ctx);
  registerCards(models, ctx);
  registerPolicy(models, ctx);
  registerGateCommands(program, ctx);
}

const print = (ctx: CliContext, lines: readonly string[]) => lines.forEach((l) => ctx.out.line(l));

function versionRows(vs: readonly ModelVersion[], name: (id: string) => string): string[] {
  const rows = vs.map((v) => [String(v.version), v.stage, v.aliases.join(',') || '-', v.runId ?? '-', name(v.author), formatTime(v.createdAt), v.source]);
  return renderTable(rows, { header: ['VERSION', 'STAGE', 'ALIASES', 'RUN', 'AUTHOR', 'CREATED', 'SOURCE'] });
}

function registerCatalog(models: Command, ctx: CliContext): void {
  examples(models.command('create').description('Register a model name').argument('<name>')
    .option('--description <text>', 'what the model is for')
    .option('--tag <key=value>', 'set a tag; repeat for more', collect)
    .action(async (name: string, o: { description?: string; tag?: string[] }) => {
      const m = await (await registry(ctx)).createModel({ name, description: o.description ?? null, tags: tagMap(o.tag) });
      ctx.out.line(`created model '${m.name}'`);
    }), 'cairn models create churn --description "churn classifier" --tag team=ml');

  examples(models.command('list').description('List registered models')
    .option('--name <pattern>', "SQL LIKE pattern on the name, e.g. 'churn%'")
    .option('--json', 'print JSON')
    .action(async (o: { name?: string; json?: boolean }) => {
      const api = await registry(ctx);
      const items = await allPages((pageToken) => api.searchModels({ nameLike: o.name, orderBy: ['name ASC'], pageToken }));
      if (o.json) return ctx.out.json(items);
      print(ctx, renderTable(items.map((m) => [m.name, Object.entries(m.aliases).map(([a, v]) => `${a}=v${v}`).join(',') || '-', formatTime(m.updatedAt), m.description ?? '']),
        { header: ['NAME', 'ALIASES', 'UPDATED', 'DESCRIPTION'] }));
    }), 'cairn models list', "cairn models list --name 'churn%' --json");

  examples(models.command('show').description('Show a model: description, tags, aliases, policy and versions').argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const api = await registry(ctx);
      const m = await api.getModel(name);
      const versions = await allPages((pageToken) => api.searchVersions({ name, pageToken }));
      if (o.json) return ctx.out.json({ model: m, versions });
      print(ctx, [
        `name         ${m.name}`,
        `description  ${m.description ?? '-'}`,
        `tags         ${Object.entries(m.tags).map(([k, v]) => `${k}=${v}`).join(' ') || '-'}`,
        `aliases      ${Object.entries(m.aliases).map(([a, v]) => `${a}=v${v}`).join(' ') || '-'}`,
        `policy       ${m.policyVersion === null ? 'default (no gates)' : `version ${m.policyVersion}`}`,
        '',
        ...versionRows(versions, await userNames(ctx, versions.map((v) => v.author))),
      ]);
    }), 'cairn models show churn');

  examples(models.command('versions').description("List a model's versions, newest first").argument('<name>')
    .option('--json', 'print JSON')
    .action(async (name: string, o: { json?: boolean }) => {
      const api = await registry(ctx);
      const versions = await allPages((pageToken) => api.searchVersions({ name, pageToken }));
      if (o.json) return ctx.out.json(versions);
      print(ctx, versionRows(versions, await userNames(ctx, versions.map((v) => v.author))));
    }), 'cairn models versions churn');

  examples(models.command('register').description('Register a new version from a run or a source URI').argument('<name>')
    .option('--run <run-id>', "the source run; its latest metrics are copied and lineage follows it")
    .option('--source <uri>', 'where the files are (default: runs:/<run>/model)')
    .addOption(new Option('--format <format>', 'artifact format').choices(ARTIFACT_FORMATS).default('mlflow'))
    .option('--flavor <flavor>', "the flavour tag, required with --format other (e.g. sklearn)")
    .option('--signature <file>', 'JSON file {"inputs": [{"name", "type", "shape"}], "outputs": [...]}')
    .option('--description <text>', 'what changed in this version')
    .option('--tag <key=value>', 'set a tag; repeat for more', collect)
    .option('--json', 'print JSON')
    .action(async (name: string, o: { run?: string; source?: string; format: string; flavor?: string; signature?: string; description?: string; tag?: string[]; json?: boolean }) => {
      // The server validates the signature's shape; a malformed one is a 400 naming the field.
      let signature: SignatureInput | null = null;
      if (o.signature) {
        const sigText = await readText(o.signature);
        try {
          signature = JSON.parse(sigText) as SignatureInput;
        } catch (e) {
          throw new InvalidArgument(`--signature ${o.signature} is not valid JSON: ${(e as Error).message}`);
        }
      }
      const v = await (await registry(ctx)).createVersion(name, {
        runId: o.run ?? null, source: o.source, format: o.format, flavor: o.flavor ?? null,
        signature, description: o.description ?? null, tags: tagMap(o.tag),
      });
      if (o.json) return ctx.out.json(v);
      ctx.out.line(`registered ${v.name} v${v.version} (${v.stage}) from ${v.source}`);
    }), 'cairn models register churn --run 3f2a… --format onnx --signature sig.json', 'cairn models register churn --source s3://models/churn/7 --format other --flavor xgboost');

  examples(models.command('lineage').description('Print code → data → run → version → stage history')
    .argument('<name>').argument('<version>', 'version number', version)
    .option('--json', 'print JSON')
    .action(async (name: string, v: number, o: { json?: boolean }) => {
      const l = await (await registry(ctx)).lineage(name, v);
      if (o.json) return ctx.out.json(l);
      print(ctx, formatLineage(l, formatTime));
    }), 'cairn models lineage churn 3');

  examples(models.command('alias').description('Show, set (with VERSION) or delete (--delete) an alias such as champion')
    .argument('<name>').argument('<alias>').argument('[version]', 'version number to point the alias at', version)
    .option('--delete', 'delete the alias')
    .action(async (name: string, alias: string, v: number | undefined, o: { delete?: boolean }) => {
      const api = await registry(ctx);
      if (o.delete) {
        await api.deleteAlias(name, alias);
        return ctx.out.line(`deleted alias ${alias} of ${name}`);
      }
      if (v !== undefined) {
        await api.setAlias(name, alias, v);
        return ctx.out.line(`${name}@${alias} → v${v}`);
      }
      const got = await api.getVersionByAlias(name, alias);
      ctx.out.line(`${name}@${alias} → v${got.version} (${got.stage})`);
    }), 'cairn models alias churn champion 3', 'cairn models alias churn champion', 'cairn models alias churn challenger --delete');
}

function registerCards(models: Command, ctx: CliContext): void {
  examples(models.command('card').description("Print a version's model card, or write it: --generate from lineage and metrics, --file to replace the text")
    .argument('<name>').argument('<version>', 'version number', version)
    .option('--generate', 'regenerate the text from lineage, metrics, intended use and limitations')
    .option('--intended-use <text>', 'what the model is for and who should use it')
    .option('--limitations <text>', 'where the model should not be trusted')
    .option('--file <file>', "replace the card's markdown with this file ('-' for stdin)")
    .action(async (name: string, v: number, o: { generate?: boolean; intendedUse?: string; limitations?: string; file?: string }) => {
      const api = await registry(ctx);
      const editing = o.generate || o.intendedUse !== undefined || o.limitations !== undefined || o.file !== undefined;
      if (!editing) return void ctx.out.stdout.write((await api.getCard(name, v)).markdown);
      const card = await api.setCard(name, v, {
        generate: o.generate, intendedUse: o.intendedUse, limitations: o.limitations,
        markdown: o.file === undefined ? undefined : await readText(o.file),
      });
      ctx.out.line(`saved the model card of ${name} v${card.version} (${card.markdown.length} characters)`);
    }), 'cairn models card churn 3 --generate --intended-use "weekly churn scoring" --limitations "EU customers only"', 'cairn models card churn 3 > card.md', 'cairn models card churn 3 --file card.md');
}

function registerPolicy(models: Command, ctx: CliContext): void {
  const policy = models.command('policy').description("Store and show a model's transition policy (versioned)");
  examples(policy.command('set').description('Store a new policy version from a file; a bad policy is refused naming the line')
    .argument('<name>').argument('<file>', "policy file ('-' for stdin)")
    .action(async (name: string, file: string) => {
      const p = await (await registry(ctx)).setPolicy(name, await readText(file));
      ctx.out.line(`stored policy version ${p.version} of ${name}`);
    }), 'cairn models policy set churn policy.yaml');
  examples(policy.command('show').description('Print the newest policy, a given version, or list every version')
    .argument('<name>')
    .option('--version <n>', 'a given policy version', version)
    .option('--list', 'list the stored versions')
    .action(async (name: string, o: { version?: number; list?: boolean }) => {
      const api = await registry(ctx);
      if (o.list) {
        const policies = await api.listPolicies(name);
        const by = await userNames(ctx, policies.map((p) => p.createdBy));
        const rows = policies.map((p) => [String(p.version), by(p.createdBy), formatTime(p.createdAt)]);
        return print(ctx, renderTable(rows, { header: ['VERSION', 'BY', 'CREATED'] }));
      }
      const p = await api.getPolicy(name, o.version);
      ctx.out.stdout.write(p.text.endsWith('\n') ? p.text : `${p.text}\n`);
    }), 'cairn models policy show churn', 'cairn models policy show churn --list');
}
