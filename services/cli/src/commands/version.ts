import { parseArgs } from 'node:util';
import { describeError, isCustomsError } from '@customs/errors/customs-error';
import {
  loadLooseSchemeForEcosystem,
  loadSchemeForEcosystem,
  parseRelation,
  relationHolds,
  satisfiesNpmRange,
  SUPPORTED_ECOSYSTEMS,
  type VersionScheme,
} from '@customs/versions/on-demand';
import { EXIT, UsageError, type CliIO, type Command } from '../io.js';

export const VERSION_USAGE = `usage: customs version <subcommand> [options] <ecosystem> ...

  compare <ecosystem> <a> <b>          print <, = or > (a against b)
  compare <ecosystem> -                stdin: "a b" per line; prints one operator per line
  check <ecosystem> <a> <op> <b>       print true or false; exit 0 when true, 1 when false
  check <ecosystem> -                  stdin: "a op b" per line, or "v" / "!v" (v is valid / invalid);
                                       prints true or false per line (the apk-tools and OSV vector formats)
  valid <ecosystem> <version>...       print valid or invalid per version; exit 0 when all are valid, else 1
  satisfies <ecosystem> <range> <version>
                                       npm, crates.io, Hex: does the version satisfy the npm range? true/false
  satisfies <ecosystem> -              stdin: JSON lines ["range", "version"]; prints true or false per line

options:
  --loose                node-semver loose mode (npm, crates.io, Hex): "=v 1.2.3", "1.2.3beta"
  --include-prerelease   satisfies: let prereleases match ranges that do not name them
  --json                 stdin lines are JSON arrays of strings (for versions or ranges with spaces)

ecosystems: OSV names, any case, an optional ":release" suffix allowed ("Debian:12", "Alpine:v3.19"):
  ${SUPPORTED_ECOSYSTEMS.join(', ')}
operators: < <= = >= > != ; for apk (Alpine, Wolfi, Chainguard) also the fuzzy ~ <~ >~ ; a leading !
  negates ("!~"). Quote them in a shell.

stdin: output line N answers input line N. Blank lines and lines starting with # or // print an empty
line; a " #" starts a trailing comment. A line that cannot be answered prints "?" and
"line N: <why>" goes to stderr (e.g. line 3: invalid Debian version "x": ...); once every line is
answered, the exit code is then 2. Invalid versions and unknown ecosystems exit 2 in every mode.
`;

const SUBCOMMANDS = ['compare', 'check', 'valid', 'satisfies'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

interface Settings {
  scheme: VersionScheme;
  ecosystem: string;
  loose: boolean;
  includePrerelease: boolean;
  json: boolean;
}

/** One answer per input; a string error message means the line could not be answered. */
type Answer = { output: string } | { error: string };

const OPERATOR = ['<', '=', '>'] as const;

function isSubcommand(value: string | undefined): value is Subcommand {
  return SUBCOMMANDS.some((name) => name === value);
}

function answerCompare(settings: Settings, words: readonly string[]): Answer {
  if (words.length !== 2) return { error: `expected two versions "a b", got ${words.length} fields` };
  const [a = '', b = ''] = words;
  return { output: OPERATOR[settings.scheme.compare(a, b) + 1] ?? '?' };
}

function answerCheck(settings: Settings, words: readonly string[]): Answer {
  if (words.length === 1) {
    const word = words[0] ?? '';
    const wantValid = !word.startsWith('!');
    return { output: String(settings.scheme.isValid(wantValid ? word : word.slice(1)) === wantValid) };
  }
  if (words.length !== 3) return { error: `expected "a op b" or "version", got ${words.length} fields` };
  const [a = '', op = '', b = ''] = words;
  const relation = parseRelation(op);
  if (!relation)
    return { error: `unknown operator ${JSON.stringify(op)} (use < <= = >= > != ~ <~ >~, ! negates)` };
  if (relation.fuzzy && !settings.scheme.compareFuzzy) {
    return { error: `fuzzy operator ${op} is defined only for apk ecosystems, not ${settings.ecosystem}` };
  }
  return { output: String(relationHolds(settings.scheme, a, relation, b)) };
}

function answerSatisfies(settings: Settings, words: readonly string[]): Answer {
  if (words.length !== 2) return { error: `expected ["range", "version"], got ${words.length} fields` };
  const [range = '', version = ''] = words;
  const options = { loose: settings.loose, includePrerelease: settings.includePrerelease };
  return { output: String(satisfiesNpmRange(version, range, options)) };
}

const ANSWER: Readonly<
  Record<Exclude<Subcommand, 'valid'>, (settings: Settings, words: readonly string[]) => Answer>
> = {
  compare: answerCompare,
  check: answerCheck,
  satisfies: answerSatisfies,
};

/** Runs one answer, turning the library's errors about the input into a line error. */
function answer(
  subcommand: Exclude<Subcommand, 'valid'>,
  settings: Settings,
  words: readonly string[],
): Answer {
  try {
    return ANSWER[subcommand](settings, words);
  } catch (error) {
    if (isCustomsError(error)) return { error: error.message };
    throw error;
  }
}

/** The fields of one stdin line, null for a line to skip, or a message when it cannot be read. */
function fieldsOf(line: string, json: boolean): string[] | null | string {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('//')) return null;
  if (!json)
    return trimmed
      .replace(/\s#.*$/, '')
      .trim()
      .split(/\s+/);
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return 'not a JSON array of strings';
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string'))
    return 'not a JSON array of strings';
  return parsed;
}

async function answerStdin(
  subcommand: Exclude<Subcommand, 'valid'>,
  settings: Settings,
  io: CliIO,
): Promise<number> {
  // Loaded here: readline is a start-up cost every single comparison would pay.
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  const output: string[] = [];
  let failed = false;
  let number = 0;
  for await (const line of lines) {
    number++;
    // npm ranges hold spaces, so satisfies always reads JSON lines.
    const fields = fieldsOf(line, settings.json || subcommand === 'satisfies');
    const result: Answer =
      fields === null
        ? { output: '' }
        : typeof fields === 'string'
          ? { error: fields }
          : answer(subcommand, settings, fields);
    if ('error' in result) {
      failed = true;
      output.push('?');
      io.stderr.write(`line ${number}: ${result.error}\n`);
    } else {
      output.push(result.output);
    }
  }
  io.stdout.write(output.length > 0 ? output.join('\n') + '\n' : '');
  return failed ? EXIT.badArguments : EXIT.ok;
}

/** Loads only the asked ecosystem's scheme: the other nine would cost more start-up than the answer. */
async function settingsFor(
  ecosystem: string,
  values: { loose?: boolean; 'include-prerelease'?: boolean; json?: boolean },
): Promise<Settings> {
  const scheme = await loadSchemeForEcosystem(ecosystem);
  const loose = values.loose === true;
  if (loose && scheme.id !== 'semver') throw new UsageError('--loose applies only to npm, crates.io and Hex');
  return {
    scheme: loose ? await loadLooseSchemeForEcosystem(ecosystem) : scheme,
    ecosystem: scheme.ecosystem,
    loose,
    includePrerelease: values['include-prerelease'] === true,
    json: values.json === true,
  };
}

const ARITY: Readonly<Record<Exclude<Subcommand, 'valid'>, number>> = { compare: 2, check: 3, satisfies: 2 };

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      loose: { type: 'boolean' },
      'include-prerelease': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(VERSION_USAGE);
    return EXIT.ok;
  }
  const [subcommand, ecosystem, ...rest] = positionals;
  if (!isSubcommand(subcommand))
    throw new UsageError(`expected one of ${SUBCOMMANDS.join(', ')}\n${VERSION_USAGE}`);
  if (ecosystem === undefined) throw new UsageError(`${subcommand}: missing <ecosystem>`);
  const settings = await settingsFor(ecosystem, values);
  if (subcommand === 'satisfies' && settings.scheme.id !== 'semver') {
    throw new UsageError('satisfies reads npm ranges: use it with npm, crates.io or Hex');
  }
  if (subcommand === 'valid') {
    if (rest.length === 0) throw new UsageError('valid: missing <version>');
    const verdicts = rest.map((version) => settings.scheme.isValid(version));
    io.stdout.write(verdicts.map((valid) => (valid ? 'valid' : 'invalid')).join('\n') + '\n');
    return verdicts.every(Boolean) ? EXIT.ok : EXIT.scanError;
  }
  if (rest.length === 1 && rest[0] === '-') return answerStdin(subcommand, settings, io);
  if (rest.length !== ARITY[subcommand]) {
    throw new UsageError(
      `${subcommand} takes ${ARITY[subcommand]} arguments after <ecosystem>, or - to read stdin`,
    );
  }
  const result = ANSWER[subcommand](settings, rest);
  if ('error' in result) throw new UsageError(result.error);
  io.stdout.write(result.output + '\n');
  return subcommand === 'compare' || result.output === 'true' ? EXIT.ok : EXIT.scanError;
}

/** `customs version`: compare versions the way each ecosystem's own tools do. */
export const versionCommand: Command = async (argv, io) => {
  try {
    return await run(argv, io);
  } catch (error) {
    // Invalid versions and unknown ecosystems are bad input: exit 2, with the supported names.
    if (
      isCustomsError(error, 'INVALID_VERSION') ||
      isCustomsError(error, 'UNKNOWN_ECOSYSTEM') ||
      isCustomsError(error, 'INVALID_RANGE')
    ) {
      io.stderr.write(`customs version: ${describeError(error)}\n`);
      return EXIT.badArguments;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(error.message);
    }
    throw error;
  }
};
