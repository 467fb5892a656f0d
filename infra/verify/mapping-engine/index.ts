/** Keystone 22's federation mapping engine in TypeScript. Pure: no I/O, no Pulumi. */
export { type KeystoneErrorClass, MappingEngineError, NO_MATCH_MESSAGE } from "./errors";
export { parseAssertionText, keystoneJson } from "./assertion";
export {
  evaluateMapping,
  processWithTrace,
  normalizeAssertion,
  pyFormat,
  type Assertion,
  type MappedProperties,
  type RuleTrace,
} from "./evaluate";
export { validateMapping, type ValidateOptions, type SchemaVersion } from "./schema";
export { astLiteralList } from "./python-literal";
export { pyRepr } from "./python-repr";
