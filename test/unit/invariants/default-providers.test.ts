/**
 * Every stack file disables the default providers of the packages that have explicit ones, and
 * nothing else: `"*"` would also disable `pulumi-nodejs`, and the real engine then refuses every
 * dynamic Keystone federation resource ("Default provider for 'pulumi-nodejs' disabled"), which
 * has no explicit form. The mock runtime does not enforce this setting; the system suite does.
 */
import { describe, expect, it } from "vitest";
import {
  DISABLED_DEFAULT_PROVIDERS,
  operatorStacks,
  readOperatorStack,
} from "../../support/stack-files";

describe("pulumi:disable-default-providers", () => {
  for (const stack of operatorStacks()) {
    it(`${stack}: lists exactly keycloak, openstack and command`, () => {
      const value = readOperatorStack(stack).config["pulumi:disable-default-providers"];
      expect(
        value,
        `stacks/Pulumi.${stack}.yaml lacks pulumi:disable-default-providers`,
      ).toBeDefined();
      expect(JSON.parse(value!)).toEqual([...DISABLED_DEFAULT_PROVIDERS]);
    });
  }
});
