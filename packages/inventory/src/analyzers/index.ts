import type { Analyzer } from '../analyzer.js';
import { apk } from './apk/index.js';
import { dotnetDeps, nugetLock } from './dotnet/index.js';
import { dpkg } from './dpkg/index.js';
import { goBinary, goMod } from './golang/index.js';
import { gradleLockfile, javaArchive } from './java/index.js';
import { gemfileLock, rubyGemspec } from './ruby/index.js';
import { cargoAuditable, cargoLock } from './rust/index.js';
import { npmInstalled, npmLockfile } from './npm/index.js';
import { osRelease } from './os-release/index.js';
import { composer } from './php/index.js';
import { pythonInstalled, pythonLockfile } from './python/index.js';
import { rpm } from './rpm/index.js';
import { runtimeBinaries } from './runtimes/index.js';

/**
 * Every analyzer Customs runs, in one explicit list: reading this file tells what an image scan looks
 * at. Add an analyzer by importing it here; nothing registers itself.
 */
export const defaultAnalyzers: readonly Analyzer[] = [
  // The distribution and its package managers' databases.
  osRelease,
  dpkg,
  apk,
  rpm,
  // JavaScript: installed node_modules packages, and what project lockfiles pin.
  npmInstalled,
  npmLockfile,
  // Python: installed distributions' metadata, and what project lockfiles pin.
  pythonInstalled,
  pythonLockfile,
  // Go: modules and toolchain recorded in binaries, and go.mod/go.sum of source trees.
  goBinary,
  goMod,
  // Java: Maven packages in jar/war/ear archives (nested ones too), and Gradle lockfiles.
  javaArchive,
  gradleLockfile,
  // Ruby: installed gem specifications, and Bundler lockfiles.
  rubyGemspec,
  gemfileLock,
  // Rust: Cargo.lock, and the crate list cargo-auditable links into binaries.
  cargoLock,
  cargoAuditable,
  // PHP: composer.lock and what Composer installed (vendor/composer/installed.json).
  composer,
  // .NET: published applications' deps.json, and NuGet lock files.
  dotnetDeps,
  nugetLock,
  // Runtimes installed without a package manager: Node.js, CPython, OpenJDK (by binary or release file).
  runtimeBinaries,
];
