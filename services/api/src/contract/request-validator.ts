import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Contract, ContractOperation } from './load-contract.js';

// ajv-formats is CommonJS: under NodeNext its default export arrives as `.default`.
const addFormats = addFormatsModule.default;

/** A request as express hands it over, before anything is trusted. */
export interface RawRequest {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

export type Validated =
  | { ok: true; path: Record<string, unknown>; query: Record<string, unknown>; body: unknown }
  | { ok: false; problems: string[] };

export type RequestValidator = (request: RawRequest) => Validated;

const CONTRACT_ID = 'customs';

/**
 * Validators compiled from the contract itself: each one `$ref`s the operation's parameter and
 * body schemas inside openapi/customs.yaml, so what is checked is exactly what the contract says.
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, which is ajv's 2020 dialect. Path and query values
 * arrive as text and are coerced to the types the contract declares (`ignoreUnfixed=true` → true);
 * bodies are JSON and never coerced. Unknown query parameters are refused: a typo must not be
 * silently ignored.
 */
export function createRequestValidators(contract: Contract): Map<string, RequestValidator> {
  const coercing = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true, useDefaults: true });
  const exact = new Ajv2020({ strict: false, allErrors: true });
  for (const ajv of [coercing, exact]) {
    addFormats(ajv);
    ajv.addSchema(contract.document, CONTRACT_ID);
  }
  const validators = new Map<string, RequestValidator>();
  for (const operation of contract.operations) {
    validators.set(operation.operationId, compileOperation(operation, coercing, exact));
  }
  return validators;
}

function compileOperation(operation: ContractOperation, coercing: Ajv2020, exact: Ajv2020): RequestValidator {
  const parametersIn = (where: 'path' | 'query') => {
    const own = operation.parameters.filter((parameter) => parameter.in === where);
    return {
      type: 'object',
      additionalProperties: false,
      required: own.filter((parameter) => parameter.required).map((parameter) => parameter.name),
      properties: Object.fromEntries(
        own.map((parameter) => [
          parameter.name,
          {
            $ref: `${CONTRACT_ID}${parameter.schemaPointer}`,
            ...('default' in parameter && { default: parameter.default }),
          },
        ]),
      ),
    };
  };
  const path = coercing.compile(parametersIn('path'));
  const query = coercing.compile(parametersIn('query'));
  const body = operation.hasJsonBody
    ? exact.compile({
        $ref: `${CONTRACT_ID}${operation.pointer}/requestBody/content/application~1json/schema`,
      })
    : null;
  return (request) => {
    // Copies: ajv writes coerced values and defaults into what it validates.
    const pathValues = { ...request.params };
    const queryValues = { ...request.query };
    const problems = [
      ...check(path, pathValues, 'path'),
      ...check(query, queryValues, 'query'),
      ...(body ? check(body, request.body, 'body') : []),
    ];
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, path: pathValues, query: queryValues, body: request.body };
  };
}

function check(validate: ValidateFunction, value: unknown, where: 'path' | 'query' | 'body'): string[] {
  if (validate(value)) return [];
  return uniqueMessages((validate.errors ?? []).map((error) => describe(error, where)));
}

function describe(error: ErrorObject, where: string): string {
  const at = `${where}${error.instancePath.replaceAll('/', '.')}`;
  const params: Record<string, unknown> = error.params;
  if (error.keyword === 'additionalProperties')
    return `${at}: unexpected "${String(params.additionalProperty)}"`;
  if (error.keyword === 'required') return `${at}: "${String(params.missingProperty)}" is required`;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${at}: ${error.message} (${params.allowedValues.join(', ')})`;
  }
  return `${at}: ${error.message ?? error.keyword}`;
}

function uniqueMessages(messages: string[]): string[] {
  return [...new Set(messages)];
}
