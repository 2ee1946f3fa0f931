import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// dist/test-support/ → services/webhook → repository root.
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/webhooks/', import.meta.url));

/** A payload sample's exact bytes (signatures are computed over these). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(`${FIXTURES}${name}`);
}

/** A payload sample parsed, to derive a variant from (each test says what it changed and why). */
export function fixtureJson(name: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(fixtureBytes(name).toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${name} is not a JSON object`);
  }
  return { ...parsed };
}

/** GitHub's X-Hub-Signature-256 for a body. */
export function hubSignature(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The value at a path of keys in parsed JSON (a stored payload); undefined where the path ends. */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Object.entries(current).find(([name]) => name === key)?.[1];
  }
  return current;
}
