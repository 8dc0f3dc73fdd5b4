/** /api/v1/studies routes: parse, call the service, serialise. */
import type { FastifyInstance } from 'fastify';
import { hpoEndpoints as E } from '../api/hpo-endpoints.js';
import { decodeNumber } from '../api/wire.js';
import { route, type ApiFor } from '../server/route.js';
import type { Distribution, ParamValue } from './distributions.js';
import type { StudyApi, TellInput } from './study-api.js';
import type { TrialState } from './study-view.js';

type S = { name: string };
type T = { name: string; number: number };
const q = <X>(x: unknown) => x as X;

export function registerHpoRoutes(app: FastifyInstance, apiFor: ApiFor<StudyApi>): void {
  route(app, E.createStudy, async (req) => ({ study: await apiFor(req).createStudy(q(req.body)) }));
  route(app, E.listStudies, async (req) => ({ items: await apiFor(req).listStudies() }));
  route(app, E.getStudy, async (req) => ({ study: await apiFor(req).getStudy(q<S>(req.params).name) }));
  route(app, E.ask, async (req) => ({ trial: await apiFor(req).ask(q<S>(req.params).name, q(req.query)) }));
  route(app, E.suggest, async (req) => {
    const p = q<T>(req.params);
    const b = q<{ param: string; distribution: Distribution }>(req.body);
    return { value: await apiFor(req).suggest(p.name, p.number, b.param, b.distribution) };
  });
  route(app, E.report, async (req) => {
    const p = q<T>(req.params);
    const b = q<{ step: number; value: number | string; logToRun?: boolean }>(req.body);
    return apiFor(req).report(p.name, p.number, b.step, decodeNumber(b.value, 'intermediate value'), b.logToRun === undefined ? {} : { logToRun: b.logToRun });
  });
  route(app, E.heartbeat, async (req) => {
    const p = q<T>(req.params);
    await apiFor(req).heartbeat(p.name, p.number);
    return {};
  });
  route(app, E.tell, async (req) => {
    const p = q<T>(req.params);
    const b = q<{ state?: TellInput['state']; values?: (number | string)[] }>(req.body);
    const values = b.values?.map((v, i) => decodeNumber(v, `value ${i}`));
    return { trial: await apiFor(req).tell(p.name, p.number, { ...(b.state ? { state: b.state } : {}), ...(values ? { values } : {}) }) };
  });
  route(app, E.enqueue, async (req) => ({ trial: await apiFor(req).enqueue(q<S>(req.params).name, q<{ params: Record<string, ParamValue> }>(req.body).params) }));
  route(app, E.listTrials, async (req) => {
    const states = q<{ states?: string }>(req.query).states?.split(',').filter(Boolean) as TrialState[] | undefined;
    return { items: await apiFor(req).listTrials(q<S>(req.params).name, states) };
  });
  route(app, E.best, async (req) => ({ items: await apiFor(req).bestTrials(q<S>(req.params).name) }));
  route(app, E.pareto, async (req) => ({ items: await apiFor(req).bestTrials(q<S>(req.params).name) }));
  route(app, E.studyReport, async (req) => apiFor(req).studyReport(q<S>(req.params).name));
}
