import { runCli } from './cli.js';

// Node 20 is a supported engine here; the AWS SDK's eight-line notice about its own future releases
// would otherwise land on stderr of every s3:// command and break the one-line error contract.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const code = await runCli(process.argv.slice(2), {
  // process.stdin builds its stream on first read of the property: only commands that read stdin pay.
  get stdin() {
    return process.stdin;
  },
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
process.exitCode = code;
