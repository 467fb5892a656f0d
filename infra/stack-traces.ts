/**
 * Cheap stack traces for the Pulumi SDK's own bookkeeping. The SDK captures a stack trace for every
 * resource it registers (its source position, every frame) and for every promise it tracks; under
 * the engine's TypeScript loader each capture maps every frame through the source maps, a fifth of
 * the program's CPU at 100 tenants (docs/measurements.md). Those captures are errors without a
 * message: they get V8's own format. Every error with a message keeps the mapped trace, so what an
 * operator reads on a failure still points at the TypeScript lines.
 */
export function keepStackTracesCheap(): void {
  const mapped = Error.prepareStackTrace;
  if (!mapped) return;
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) =>
    error instanceof Error && error.message === ""
      ? [String(error), ...frames.map((f) => `    at ${String(f)}`)].join("\n")
      : mapped(error, frames);
}
