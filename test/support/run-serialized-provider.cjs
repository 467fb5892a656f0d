// Loads a provider serialized by test/support/serialize-provider.ts with plain Node (as Pulumi's dynamic
// provider host does: the text's `handler` returns the provider), configures it as the engine does
// (configure() with the stack's configuration, from the JSON in $OKF_STACK_CONFIG), and runs one
// method. Prints the JSON result.
//   OKF_STACK_CONFIG='{"openstack-keycloak-federation:keystone": "..."}' node test/support/run-serialized-provider.cjs FILE METHOD JSON_ARGS
const file = process.argv[2] ?? "";
const method = process.argv[3] ?? "";
const args = JSON.parse(process.argv[4] || "[]");
const provider = require(file).handler();
const config = new Map(Object.entries(JSON.parse(process.env.OKF_STACK_CONFIG || "{}")));
Promise.resolve(provider.configure ? provider.configure({ config }) : undefined)
  .then(() => provider[method](...args))
  .then(
    (r) => {
      process.stdout.write(JSON.stringify(r === undefined ? null : r));
    },
    (e) => {
      process.stderr.write(String(e && e.message ? e.message : e));
      process.exit(1);
    },
  );
