/**
 * Dynamic provider for a Keystone federation mapping.
 *   check   -> no HTTP: needs at least one rule
 *   diff    -> no HTTP: rules compared structurally (key order and whitespace never show a diff); id change -> replace
 *   create  -> GET /v3/OS-FEDERATION/mappings/{id}; 404 -> PUT; exists -> error, or with adopt: PATCH
 *   read    -> GET /v3/OS-FEDERATION/mappings/{id}; 404 -> gone
 *   update  -> PATCH /v3/OS-FEDERATION/mappings/{id} {rules}
 *   delete  -> DELETE /v3/OS-FEDERATION/mappings/{id}; 404 counts as done
 * Before taking over an existing mapping (adopt, or an exact match) and before deleting one, every
 * identity provider's protocols are listed: a protocol other than the stack's own (`usedBy`) that
 * uses the mapping makes both refuse, since either would change that protocol's logins.
 */
import type * as pulumi from "@pulumi/pulumi";
import { keystoneExpect, keystoneError } from "./client";
import { createExactly, deleteOne, protocolsUsing, readOne } from "./crud";
import { isUnknown, mappingDocument, sameStructure } from "./compare";
import { configureFromStack, currentConnection } from "./runtime";

export interface MappingState {
  mappingId: string;
  rules: { rules: unknown[] };
  adopt: boolean;
  /** The stack's own protocol that uses this mapping, as `idp/protocol` (none: "" or absent). */
  usedBy?: string;
}

const path = (id: string) => `/OS-FEDERATION/mappings/${encodeURIComponent(id)}`;

function stateFrom(
  body: Record<string, unknown>,
  adopt: boolean,
  usedBy: string | undefined,
): MappingState {
  const m = body.mapping as { id: string; rules: unknown[] };
  return { mappingId: m.id, rules: { rules: m.rules }, adopt, usedBy: usedBy ?? "" };
}

/** Refuses when protocols other than the stack's own use the mapping. */
async function refuseIfShared(
  what: string,
  mappingId: string,
  usedBy: string | undefined,
): Promise<void> {
  const others = await protocolsUsing(mappingId, usedBy || undefined);
  if (others.length === 0) return;
  throw keystoneError(
    what === "delete" ? "DELETE" : "PUT",
    path(mappingId),
    409,
    `mapping "${mappingId}" is used by ${others.map((o) => `protocol ${o}`).join(", ")}, which ${others.length === 1 ? "is" : "are"} not this stack's; ${what === "delete" ? "deleting it would break their logins" : "taking it over would change their logins"}. Nothing was changed. Point ${others.length === 1 ? "that protocol" : "those protocols"} at another mapping first${what === "delete" ? ", or drop the mapping from this stack's state (pulumi state delete)" : ", or give this stack its own federation.idpId"}`,
  );
}

export const mappingProvider: pulumi.dynamic.ResourceProvider<MappingState, MappingState> = {
  async configure(req) {
    configureFromStack((k) => req.config.get(k));
  },

  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!isUnknown(news.mappingId) && !/^[A-Za-z0-9._-]{1,64}$/.test(String(news.mappingId ?? "")))
      failures.push({
        property: "mappingId",
        reason: "must be 1-64 letters, digits, '.', '_' or '-'",
      });
    const rules = isUnknown(news.rules) ? news.rules : mappingDocument(news.rules);
    if (!isUnknown(rules) && (rules as { rules: unknown[] }).rules.length === 0)
      failures.push({ property: "rules", reason: "a mapping needs at least one rule" });
    return {
      inputs: {
        ...news,
        rules: rules as MappingState["rules"],
        adopt: news.adopt ?? false,
        usedBy: news.usedBy ?? "",
      },
      failures,
    };
  },

  async diff(_id, olds, news) {
    const replaces =
      isUnknown(news.mappingId) || olds.mappingId !== news.mappingId ? ["mappingId"] : [];
    const changes =
      replaces.length > 0 ||
      isUnknown(news.rules) ||
      !sameStructure(mappingDocument(olds.rules), mappingDocument(news.rules));
    return { changes, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const body = { mapping: { rules: mappingDocument(inputs.rules).rules } };
    const outs = await createExactly({
      path: path(inputs.mappingId),
      createBody: body,
      patchBody: body,
      adopt: inputs.adopt,
      stateFrom: (b) => stateFrom(b, inputs.adopt, inputs.usedBy),
      beforeTakeOver: () => refuseIfShared("adopt", inputs.mappingId, inputs.usedBy),
      exact: (s) => sameStructure(s.rules, mappingDocument(inputs.rules)),
      exists: () =>
        `mapping "${inputs.mappingId}" already exists; nothing was changed. To take it over (its rules will be replaced by the generated ones), set adopt: true on this resource (federation.adopt in the stack configuration)`,
    });
    return { id: inputs.mappingId, outs };
  },

  async read(id, props) {
    const body = await readOne(path(id));
    return body ? { id, props: stateFrom(body, props?.adopt ?? false, props?.usedBy ?? "") } : {};
  },

  async update(_id, olds, news) {
    const res = await keystoneExpect(currentConnection(), "PATCH", path(olds.mappingId), [200], {
      mapping: { rules: mappingDocument(news.rules).rules },
    });
    return { outs: stateFrom(res.body, news.adopt, news.usedBy) };
  },

  async delete(id, props) {
    await refuseIfShared("delete", id, props.usedBy ?? "");
    await deleteOne(path(id));
  },
};
