import { describeError, isCustomsError } from '@customs/errors/customs-error';
import { commands } from './commands/index.js';
import { EXIT, UsageError, type CliIO } from './io.js';
import { toolInfo } from './tool-info.js';

const USAGE_HEADER =
  'usage: customs <command> [options]\n       customs --version   print the version of customs\n\ncommands:\n';

export function usage(): string {
  const width = Math.max(...commands.map((command) => command.name.length), 8);
  return USAGE_HEADER + commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n') + '\n';
}

/** Runs one `customs` invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? EXIT.badArguments : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`customs ${toolInfo().version}\n`);
    return EXIT.ok;
  }
  const command = commands.find((entry) => entry.name === name);
  if (!command) {
    io.stderr.write(`customs: unknown command "${name}"\n${usage()}`);
    return EXIT.badArguments;
  }
  try {
    const run = await command.load();
    return await run(rest, io);
  } catch (error) {
    io.stderr.write(`customs ${name}: ${describeError(error)}\n`);
    return isBadArguments(error) ? EXIT.badArguments : EXIT.scanError;
  }
}

/** Exit 2 is for what the user typed: our usage errors, node's parseArgs errors, invalid options. */
function isBadArguments(error: unknown): boolean {
  if (error instanceof UsageError || isCustomsError(error, 'INVALID_OPTION')) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
