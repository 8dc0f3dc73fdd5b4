export { isDigest, assertDigest, blobNotFound } from './blob-store.js';
export type { BlobBody, BlobInfo, BlobStore, PutOptions } from './blob-store.js';
export { HashStream, VerifyingStream } from './hash-stream.js';
export { LocalBlobStore } from './local-blob-store.js';
export { S3BlobStore } from './s3-blob-store.js';
export type { S3BlobStoreOptions } from './s3-blob-store.js';
export { openBlobStore } from './open-blob-store.js';
export type { OpenBlobStoreOptions } from './open-blob-store.js';
export { normalizeArtifactPath, joinArtifactPath, MAX_ARTIFACT_PATH_LENGTH } from './artifact-path.js';
