// Loads a provider serialized by scripts/serialize-provider.ts with plain Node (as Pulumi's dynamic
// provider host does: the text's `handler` returns the provider) and runs one method.
//   node scripts/lib/run-serialized-provider.cjs FILE METHOD JSON_ARGS
// Credentials come from the OS_* environment, as they would in a real run. Prints the JSON result.
const file = process.argv[2];
const method = process.argv[3];
const args = JSON.parse(process.argv[4] || "[]");
const provider = require(file).handler();
Promise.resolve(provider[method](...args)).then(
  (r) => { process.stdout.write(JSON.stringify(r === undefined ? null : r)); },
  (e) => { process.stderr.write(String(e && e.message ? e.message : e)); process.exit(1); },
);
