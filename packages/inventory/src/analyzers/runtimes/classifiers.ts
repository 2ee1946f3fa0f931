import path from 'node:path';

/**
 * How one runtime is recognised, after Syft's binary classifiers: a cheap test on the path, then a
 * version read from the file's bytes (a string the build embeds) or from its install tree's metadata.
 */
export interface RuntimeClassifier {
  /** The package name, which is also the purl name (`pkg:generic/<name>@<version>`). */
  name: string;
  /** Whether this path could be the runtime; `executable` says whether the entry has an x bit. */
  matches(filePath: string, executable: boolean): boolean;
  /** The version, or null when the file is not this runtime after all. */
  version(data: Buffer, filePath: string): string | null;
}

const inBinDir = (filePath: string, names: RegExp): boolean =>
  /(^|\/)s?bin$/.test(path.posix.dirname(filePath)) && names.test(path.posix.basename(filePath));

/** The first capture of `pattern` in the bytes, read as Latin-1 so every byte stays one character. */
function firstCapture(data: Buffer, pattern: RegExp): string | null {
  return pattern.exec(data.toString('latin1'))?.[1] ?? null;
}

/** Node.js: its binary embeds `node.js/v<version>` (the user agent of its own HTTP client). */
const node: RuntimeClassifier = {
  name: 'node',
  matches: (filePath, executable) => executable && inBinDir(filePath, /^(node|nodejs)$/),
  version: (data) => firstCapture(data, /node\.js\/v(\d+\.\d+\.\d+)/),
};

/**
 * CPython: `python3.12` (statically linked) or `libpython3.12.so.1.0` (the official images link it
 * dynamically) holds PY_VERSION as a string of its own; its major.minor must be the file name's.
 */
const python: RuntimeClassifier = {
  name: 'python',
  matches: (filePath, executable) =>
    (executable && inBinDir(filePath, /^python[23]\.\d+$/)) ||
    /^libpython[23]\.\d+m?\.so(\.[\d.]+)?$/.test(path.posix.basename(filePath)),
  version(data, filePath) {
    const series = /python(\d\.\d+)/.exec(path.posix.basename(filePath))?.[1];
    if (!series) return null;
    const escaped = series.replace('.', '\\.');
    return firstCapture(data, new RegExp(`\\x00(${escaped}\\.\\d+(?:(?:a|b|rc)\\d+)?\\+?)\\x00`));
  },
};

/** A JDK or JRE: the `release` file at its root says `JAVA_VERSION="21.0.2"`. */
const openjdk: RuntimeClassifier = {
  name: 'openjdk',
  matches: (filePath) =>
    path.posix.basename(filePath) === 'release' &&
    (/^usr\/lib\/jvm\/[^/]+\/release$/.test(filePath) ||
      /(^|\/)[^/]*(jdk|jre|java)[^/]*\/release$/i.test(filePath)),
  version: (data) => {
    const text = data.toString('utf8');
    if (!/^IMPLEMENTOR=|^JAVA_RUNTIME_VERSION=|^MODULES=/m.test(text)) return null;
    return /^JAVA_VERSION="?([0-9][0-9._+a-zA-Z-]*)"?\s*$/m.exec(text)?.[1] ?? null;
  },
};

/** Every runtime Customs recognises without a package manager. */
export const RUNTIME_CLASSIFIERS: readonly RuntimeClassifier[] = [node, python, openjdk];
