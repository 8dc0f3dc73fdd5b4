/**
 * The one mapping from Cairn's errors to MLflow's `{error_code, message}`
 * responses, and the route helper that applies it to every MLflow route.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CairnError, type ErrorCode } from '../core/errors.js';

export interface MlflowError {
  readonly errorCode: string;
  readonly status: number;
}

const BY_CAIRN_CODE: Readonly<Record<ErrorCode, MlflowError>> = {
  NOT_FOUND: { errorCode: 'RESOURCE_DOES_NOT_EXIST', status: 404 },
  ALREADY_EXISTS: { errorCode: 'RESOURCE_ALREADY_EXISTS', status: 400 },
  INVALID_ARGUMENT: { errorCode: 'INVALID_PARAMETER_VALUE', status: 400 },
  INVALID_STATE: { errorCode: 'INVALID_STATE', status: 400 },
  UNAUTHENTICATED: { errorCode: 'UNAUTHENTICATED', status: 401 },
  PERMISSION_DENIED: { errorCode: 'PERMISSION_DENIED', status: 403 },
  INTERNAL: { errorCode: 'INTERNAL_ERROR', status: 500 },
};

/** MLflow's error code and HTTP status for a Cairn error code. */
export const mlflowErrorOf = (code: ErrorCode): MlflowError => BY_CAIRN_CODE[code];

/** Prefixes every MLflow route is served under: the REST API and the UI's ajax API. */
export const MLFLOW_PREFIXES = ['/api/2.0', '/ajax-api/2.0'] as const;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export type MlflowHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

function send(reply: FastifyReply, err: unknown, req: FastifyRequest): FastifyReply {
  if (err instanceof CairnError) {
    const m = mlflowErrorOf(err.code);
    return reply.status(m.status).send({ error_code: m.errorCode, message: err.message });
  }
  const fe = err as FastifyError;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return reply.status(400).send({ error_code: 'MALFORMED_REQUEST', message: fe.message });
  }
  req.log.error({ err }, 'unhandled error in MLflow route');
  return reply.status(500).send({ error_code: 'INTERNAL_ERROR', message: 'internal error; see the server log' });
}

/**
 * Registers `path` (e.g. `/mlflow/runs/get`) under both MLflow prefixes for
 * each method; thrown errors become MLflow error bodies.
 */
export function mlflowRoute(app: FastifyInstance, methods: readonly Method[], path: string, handler: MlflowHandler): void {
  for (const prefix of MLFLOW_PREFIXES) {
    app.route({
      method: [...methods],
      url: prefix + path,
      handler: async (req, reply) => {
        try {
          return await handler(req, reply);
        } catch (err) {
          return send(reply, err, req);
        }
      },
      errorHandler: (err, req, reply) => void send(reply, err, req),
    });
  }
}
