import path from 'node:path';
import { MAX_EXECUTABLE_BYTES, isExecutableCandidate } from '../../binary/executable.js';
import { parserAnalyzer } from '../parser-analyzer.js';
import { parseCargoAuditable } from './parse-cargo-auditable.js';
import { parseCargoLock } from './parse-cargo-lock.js';

/** Cargo.lock files of Rust projects copied into an image. */
export const cargoLock = parserAnalyzer({
  id: 'cargo-lock',
  version: 1,
  maxFileSize: 16 * 1024 * 1024,
  match: (filePath) => path.posix.basename(filePath) === 'Cargo.lock',
  parse: (file) => parseCargoLock(file.text(), file.path),
});

/** Rust binaries built with cargo-auditable, which embeds the crates it compiled. */
export const cargoAuditable = parserAnalyzer({
  id: 'cargo-auditable',
  version: 1,
  perFile: true,
  maxFileSize: MAX_EXECUTABLE_BYTES,
  match: (filePath, info) => isExecutableCandidate(filePath, info),
  parse: (file) => parseCargoAuditable(file.data, file.path),
});
