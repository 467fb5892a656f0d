import { describe, expect, it } from "vitest";
import { canonicalJson, UNKNOWN } from "../../infra/providers/keystone/compare";
import { identityProviderProvider as idp } from "../../infra/providers/keystone/identity-provider";
import { mappingProvider as mapping } from "../../infra/providers/keystone/mapping";
import { protocolProvider as protocol } from "../../infra/providers/keystone/protocol";

const base = {
  idpId: "kc",
  domainId: "d1",
  remoteIds: ["https://a/realms/r", "https://b/realms/r"],
  enabled: true,
  description: "",
  adopt: false,
};

describe("Keystone provider: pure check and diff (no HTTP)", () => {
  it("compares remote_ids as a set", async () => {
    expect(
      await idp.diff!("kc", base, {
        ...base,
        remoteIds: ["https://b/realms/r", "https://a/realms/r"],
      }),
    ).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect(await idp.diff!("kc", base, { ...base, remoteIds: ["https://a/realms/r"] })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
  });

  it("replaces the IdP when its domain or id changes, and when they are unknown during preview", async () => {
    expect(await idp.diff!("kc", base, { ...base, domainId: "d2" })).toEqual({
      changes: true,
      replaces: ["domainId"],
      deleteBeforeReplace: true,
    });
    expect(await idp.diff!("kc", base, { ...base, idpId: "kc2" })).toEqual({
      changes: true,
      replaces: ["idpId"],
      deleteBeforeReplace: true,
    });
    expect(await idp.diff!("kc", base, { ...base, domainId: UNKNOWN })).toEqual({
      changes: true,
      replaces: ["domainId"],
      deleteBeforeReplace: true,
    });
  });

  it("rejects an IdP without remote_ids, tolerates unknowns", async () => {
    expect((await idp.check!(base, { ...base, remoteIds: [] })).failures).toEqual([
      {
        property: "remoteIds",
        reason:
          "must list at least one issuer: an identity provider without remote_ids accepts tokens of any issuer",
      },
    ]);
    expect(
      (
        await idp.check!(base, {
          ...base,
          remoteIds: UNKNOWN as unknown as string[],
          domainId: UNKNOWN,
        })
      ).failures,
    ).toEqual([]);
  });

  it("compares mapping rules structurally: key order and bare arrays never show a diff", async () => {
    const rules = {
      rules: [
        {
          local: [{ user: { name: "{0}", type: "ephemeral" } }],
          remote: [{ type: "A" }, { type: "B", any_one_of: ["x"] }],
        },
      ],
    };
    const reordered = [
      {
        remote: [{ type: "A" }, { any_one_of: ["x"], type: "B" }],
        local: [{ user: { type: "ephemeral", name: "{0}" } }],
      },
    ];
    expect(
      await mapping.diff!(
        "m",
        { mappingId: "m", rules, adopt: false },
        { mappingId: "m", rules: reordered as unknown as { rules: unknown[] }, adopt: false },
      ),
    ).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    // Which protocol is the stack's own is bookkeeping for adopt and delete, never a change.
    expect(
      await mapping.diff!(
        "m",
        { mappingId: "m", rules, adopt: false },
        { mappingId: "m", rules, adopt: false, usedBy: "idp/openid" },
      ),
    ).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    const reorderedRemote = {
      rules: [{ ...rules.rules[0]!, remote: [...rules.rules[0]!.remote].reverse() }],
    };
    expect(
      (
        await mapping.diff!(
          "m",
          { mappingId: "m", rules, adopt: false },
          { mappingId: "m", rules: reorderedRemote, adopt: false },
        )
      ).changes,
    ).toBe(true);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it("requires a protocol's remote_id_attribute and replaces on idp or protocol id change", async () => {
    const p = {
      idpId: "kc",
      protocolId: "openid",
      mappingId: "m",
      remoteIdAttribute: "HTTP_OIDC_ISS",
      adopt: false,
    };
    expect((await protocol.check!(p, { ...p, remoteIdAttribute: "" })).failures).toEqual([
      {
        property: "remoteIdAttribute",
        reason:
          "is required: without it Keystone uses keystone.conf's [openid] remote_id_attribute, which another stack may change",
      },
    ]);
    expect(await protocol.diff!("kc/openid", p, { ...p, mappingId: "m2" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: true,
    });
    expect(await protocol.diff!("kc/openid", p, { ...p, protocolId: "saml2" })).toEqual({
      changes: true,
      replaces: ["protocolId"],
      deleteBeforeReplace: true,
    });
    expect(await protocol.diff!("kc/openid", p, { ...p })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: true,
    });
  });
});
