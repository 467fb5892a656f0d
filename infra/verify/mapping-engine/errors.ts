/**
 * Errors of the mapping engine, named after the Python exception Keystone 22 raises for the same
 * input (docs/keystone-mapping-engine.md §7), so callers and the CLI can report the same class.
 */
export type KeystoneErrorClass =
  | "ValidationError"
  | "DirectMappingError"
  | "KeyError"
  | "ValueError"
  | "TypeError"
  | "AttributeError"
  | "re.error"
  | "JSONDecodeError"
  | "SchemaValidationError"
  | "IndexError"
  | "NotSupported";

export class MappingEngineError extends Error {
  constructor(
    readonly keystoneClass: KeystoneErrorClass,
    message: string,
  ) {
    super(message);
    this.name = keystoneClass;
  }
}

export const NO_MATCH_MESSAGE =
  "Could not map any federated user properties to identity values. Check debug logs or the mapping used for additional details.";

export function fail(cls: KeystoneErrorClass, message: string): never {
  throw new MappingEngineError(cls, message);
}
