import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { InvalidPolicyError } from '../errors.js';
import { ignoreEndsAt } from '../ignore-entries.js';
import type { Policy } from '../policy.js';
import {
  defaultRule,
  withVersion,
  type PolicyException,
  type PolicyRule,
  type PolicySet,
} from '../rules/policy-rules.js';
import { POLICY_FILE_SCHEMA } from './policy-file-schema.js';

/** The file as the schema describes it. */
interface PolicyFileBody {
  version: 1;
  rules: Array<Partial<Omit<PolicyRule, 'ignore'>> & { id: string; repositories: string[] }>;
  exceptions?: Array<{
    id: string;
    package: string;
    expires: string;
    justification: string;
    repositories?: string[];
  }>;
}

const validate = new Ajv({ allErrors: false, strict: true }).compile<PolicyFileBody>(POLICY_FILE_SCHEMA);

/**
 * A policy file's text as a policy set: its rules in order, then the configuration's policy as the
 * default rule (a rule's missing keys come from it too). Anything wrong throws POLICY_INVALID naming
 * the file and line, so a reload can keep the policy it has.
 */
export function readPolicyFile(text: string, file: string, defaults: Policy): PolicySet {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [syntax] = document.errors;
  if (syntax !== undefined) {
    const line = syntax.linePos?.[0].line ?? 1;
    throw invalid(file, line, `not YAML: ${syntax.message.split('\n')[0]}`);
  }
  const body: unknown = document.toJS();
  if (!validate(body)) {
    const [error] = validate.errors ?? [];
    throw invalid(file, lineOf(document, lines, error), describeSchemaError(error));
  }
  const seen = new Set<string>();
  const rules = body.rules.map((rule, index): PolicyRule => {
    if (seen.has(rule.id) || rule.id === 'default') {
      throw invalid(
        file,
        lineAt(document, lines, ['rules', index, 'id']),
        `rule id ${rule.id} is used twice (default is the configuration's rule)`,
      );
    }
    seen.add(rule.id);
    return { ...defaultRule(defaults), ...rule };
  });
  const exceptions = (body.exceptions ?? []).map((entry, index): PolicyException => {
    const exception = {
      id: entry.id,
      package: entry.package,
      expires: entry.expires,
      reason: entry.justification,
      repositories: entry.repositories ?? null,
    };
    try {
      ignoreEndsAt(exception);
    } catch {
      throw invalid(
        file,
        lineAt(document, lines, ['exceptions', index, 'expires']),
        `exception ${entry.id}: ${entry.expires} is not a date`,
      );
    }
    return exception;
  });
  return withVersion({ file, rules: [...rules, defaultRule(defaults)], exceptions });
}

function invalid(file: string, line: number, problem: string): InvalidPolicyError {
  return new InvalidPolicyError(
    `${file}:${line}: ${problem}`,
    'fix the file; Customs keeps judging with the policy it loaded before (or does not start)',
  );
}

function describeSchemaError(error: ErrorObject | undefined): string {
  if (error === undefined) return 'does not match the policy file schema';
  const where = error.instancePath === '' ? 'the file' : error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown key ${String(error.params.additionalProperty)}`;
  }
  if (error.keyword === 'enum') {
    return `${where} must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}

function lineOf(document: Document, lines: LineCounter, error: ErrorObject | undefined): number {
  const path = (error?.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replaceAll('~1', '/').replaceAll('~0', '~')));
  if (error?.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  return lineAt(document, lines, path);
}

/** The line of the deepest node of the path that exists (a missing key points at its parent). */
function lineAt(document: Document, lines: LineCounter, path: Array<string | number>): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const parts = path.slice(0, depth);
    const node = parts.length === 0 ? document.contents : document.getIn(parts, true);
    const offset = keyOffset(document, parts) ?? nodeOffset(node);
    if (offset !== null) return lines.linePos(offset).line;
  }
  return 1;
}

/** For a map key, where the key is written (an unknown key's value may be on a later line). */
function keyOffset(document: Document, path: Array<string | number>): number | null {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return null;
  const parent = path.length === 1 ? document.contents : document.getIn(path.slice(0, -1), true);
  if (parent === null || typeof parent !== 'object' || !('items' in parent) || !Array.isArray(parent.items))
    return null;
  for (const pair of parent.items as Array<{ key?: { value?: unknown; range?: [number, number, number] } }>) {
    if (pair.key?.value === last && pair.key.range) return pair.key.range[0];
  }
  return null;
}

function nodeOffset(node: unknown): number | null {
  if (node === null || typeof node !== 'object' || !('range' in node)) return null;
  const range = (node as { range?: [number, number, number] }).range;
  return range ? range[0] : null;
}
