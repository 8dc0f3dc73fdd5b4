/**
 * The data slice's part of the /api/v1 route table: datasets, versions,
 * tags, reports, and the content-addressed blob endpoints that let every
 * client share the server's artifact store.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { Endpoint } from './endpoints.js';
import * as S from './data-schemas.js';
import { Empty } from './schemas.js';

const e = <T extends Endpoint>(x: T): T => x;
const one = <K extends string, T extends TSchema>(k: K, t: T) => Type.Object({ [k]: t } as { [P in K]: T });

export const dataEndpoints = {
  createDataset: e({ operationId: 'createDataset', method: 'POST', path: '/datasets', summary: 'Create a dataset', body: S.CreateDatasetBody, response: one('dataset', S.Dataset) }),
  listDatasets: e({ operationId: 'listDatasets', method: 'GET', path: '/datasets', summary: 'List datasets', response: one('items', Type.Array(S.Dataset)) }),
  getDataset: e({ operationId: 'getDataset', method: 'GET', path: '/datasets/:name', summary: 'Get a dataset with its tags', params: S.NameParams, response: one('dataset', S.Dataset) }),
  addDatasetVersion: e({ operationId: 'addDatasetVersion', method: 'POST', path: '/datasets/:name/versions', summary: 'Record a version from an uploaded manifest (creates the dataset on first use; idempotent when unchanged)', params: S.NameParams, body: S.AddVersionBody, response: Type.Object({ version: S.DatasetVersion, created: Type.Boolean() }) }),
  listDatasetVersions: e({ operationId: 'listDatasetVersions', method: 'GET', path: '/datasets/:name/versions', summary: 'List the versions of a dataset', params: S.NameParams, response: one('items', Type.Array(S.DatasetVersion)) }),
  getDatasetVersion: e({ operationId: 'getDatasetVersion', method: 'GET', path: '/datasets/:name/versions/:ref', summary: 'Get a version by number, tag or latest', params: S.VersionParams, response: one('version', S.DatasetVersion) }),
  tagDatasetVersion: e({ operationId: 'tagDatasetVersion', method: 'PUT', path: '/datasets/:name/tags', summary: 'Point a tag at a version', params: S.NameParams, body: S.TagBody, response: one('version', S.DatasetVersion) }),
  diffDatasetVersions: e({ operationId: 'diffDatasetVersions', method: 'GET', path: '/datasets/:name/diff', summary: 'Files added, removed and modified between two versions', params: S.NameParams, query: S.DiffQuery, response: one('diff', S.VersionDiff) }),
  getValidatedVersion: e({ operationId: 'getValidatedVersion', method: 'GET', path: '/datasets/:name/validated', summary: 'The newest version whose validation passed', params: S.NameParams, response: Type.Object({ version: Type.Union([Type.Integer(), Type.Null()]) }) }),
  recordDatasetReport: e({ operationId: 'recordDatasetReport', method: 'PUT', path: '/datasets/:name/versions/:ref/reports/:kind', summary: 'Record a profile, validation or leakage report', params: S.ReportParams, body: S.ReportBody, response: one('report', S.DatasetReport), bodyLimit: 32 * 1024 * 1024 }),
  getDatasetReport: e({ operationId: 'getDatasetReport', method: 'GET', path: '/datasets/:name/versions/:ref/reports/:kind', summary: 'Get a report of a version', params: S.ReportParams, response: Type.Object({ report: Type.Union([S.DatasetReport, Type.Null()]) }) }),

  missingBlobs: e({ operationId: 'missingBlobs', method: 'POST', path: '/blobs/missing', summary: 'Which of these sha256 digests the artifact store lacks', body: S.MissingBody, response: S.MissingResponse, bodyLimit: 4 * 1024 * 1024 }),
  putBlob: e({ operationId: 'putBlob', method: 'PUT', path: '/blobs/:digest', summary: 'Upload content under its sha256 (verified; nothing is stored on mismatch)', params: S.DigestParams, query: S.BlobSizeQuery, rawBody: true, response: Empty, bodyLimit: Number.MAX_SAFE_INTEGER }),
  getBlob: e({ operationId: 'getBlob', method: 'GET', path: '/blobs/:digest', summary: 'Download content by its sha256', params: S.DigestParams, response: 'bytes' }),
} as const satisfies Record<string, Endpoint>;
