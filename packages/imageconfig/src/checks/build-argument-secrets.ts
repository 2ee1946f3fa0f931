import type { ConfigCheck } from '../config-check.js';
import { argumentDefault, buildArguments, historyLines, instructionOf } from '../history-lines.js';
import { redacted, secretAssignments } from '../secret-names.js';

export const secretInBuildArguments: ConfigCheck = {
  id: 'CFG003',
  severity: 'HIGH',
  title: 'Secret in a build argument recorded in the image history',
  remediation:
    'Build arguments are written into the image history for anyone who pulls it: use a BuildKit secret mount (`RUN --mount=type=secret,id=…`) instead, and rotate the credential.',
  run(config) {
    return historyLines(config).flatMap(({ index, text }) => {
      const instruction = instructionOf(text);
      const fallback = argumentDefault(instruction);
      const pairs = [...buildArguments(instruction), ...(fallback ? [fallback] : [])];
      return secretAssignments(pairs).map(([name, value]) => ({
        detail: redacted(name, value),
        location: `history[${index}].created_by`,
      }));
    });
  },
};
