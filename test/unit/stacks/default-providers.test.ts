/**
 * Every stack file disables the default providers of the packages that have explicit ones, and
 * nothing else: `"*"` would also disable `pulumi-nodejs`, and the real engine then refuses every
 * dynamic Keystone federation resource ("Default provider for 'pulumi-nodejs' disabled"), which
 * has no explicit form. The mock runtime does not enforce this setting; the system suite does.
 */
import { describe, expect, it } from "vitest";
import { committedStacks, DISABLED_DEFAULT_PROVIDERS, readStackFile } from "../../support/stack-files";

describe("pulumi:disable-default-providers", () => {
  for (const stack of committedStacks()) {
    it(`${stack}: lists exactly keycloak, openstack and command`, () => {
      const value = readStackFile(stack).config["pulumi:disable-default-providers"];
      expect(value, "the key is missing").toBeDefined();
      expect(JSON.parse(value!)).toEqual([...DISABLED_DEFAULT_PROVIDERS]);
    });
  }
});
