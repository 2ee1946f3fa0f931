import { readFileSync } from 'node:fs';
import type { ToolInfo } from '@customs/report';

/** Who wrote a report: Customs and the version of this CLI. */
export function toolInfo(): ToolInfo {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return {
    name: 'customs',
    version: manifest.version,
    informationUri: 'https://github.com/customs-scanner/customs',
  };
}
