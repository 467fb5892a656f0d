/**
 * Dynamic provider for a Keystone federation protocol (binds an IdP to a mapping).
 *   check   -> no HTTP: remote_id_attribute is required (otherwise Keystone falls back to keystone.conf)
 *   diff    -> no HTTP: idpId or protocolId change -> replace; mapping or remote_id_attribute -> update
 *   create  -> GET .../identity_providers/{idp}/protocols (list); absent -> PUT .../protocols/{protocol};
 *              present -> error, or with adopt: PATCH
 *   read    -> GET .../identity_providers/{idp}/protocols (Keystone 22 shows remote_id_attribute only in
 *              the list, not in GET of one protocol); absent or IdP gone -> gone
 *   update  -> PATCH .../identity_providers/{idp}/protocols/{protocol} {mapping_id, remote_id_attribute}
 *   delete  -> DELETE .../identity_providers/{idp}/protocols/{protocol}; 404 counts as done
 */
import type * as pulumi from "@pulumi/pulumi";
import { hintFor, keystoneCall, keystoneExpect, keystoneError, messageOf } from "./client";
import { isUnknown } from "./compare";
import { deleteOne, readOne } from "./crud";
import { configureFromStack, currentConnection } from "./runtime";

export interface ProtocolState {
  idpId: string;
  protocolId: string;
  mappingId: string;
  remoteIdAttribute: string;
  adopt: boolean;
}

const listPath = (idp: string) =>
  `/OS-FEDERATION/identity_providers/${encodeURIComponent(idp)}/protocols`;
const onePath = (idp: string, p: string) => `${listPath(idp)}/${encodeURIComponent(p)}`;
const idOf = (s: { idpId: string; protocolId: string }) => `${s.idpId}/${s.protocolId}`;

interface ListedProtocol {
  id: string;
  mapping_id: string;
  remote_id_attribute?: string | null;
}

export const protocolProvider: pulumi.dynamic.ResourceProvider<ProtocolState, ProtocolState> = {
  async configure(req) {
    configureFromStack((k) => req.config.get(k));
  },

  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (
      !isUnknown(news.remoteIdAttribute) &&
      (typeof news.remoteIdAttribute !== "string" || news.remoteIdAttribute === "")
    ) {
      failures.push({
        property: "remoteIdAttribute",
        reason:
          "is required: without it Keystone uses keystone.conf's [openid] remote_id_attribute, which another stack may change",
      });
    }
    for (const k of ["idpId", "protocolId", "mappingId"] as const) {
      if (!isUnknown(news[k]) && (typeof news[k] !== "string" || news[k] === ""))
        failures.push({ property: k, reason: "is required" });
    }
    return { inputs: { ...news, adopt: news.adopt ?? false }, failures };
  },

  async diff(_id, olds, news) {
    const replaces = (["idpId", "protocolId"] as const).filter(
      (k) => isUnknown(news[k]) || olds[k] !== news[k],
    );
    const changes =
      replaces.length > 0 ||
      isUnknown(news.mappingId) ||
      isUnknown(news.remoteIdAttribute) ||
      olds.mappingId !== news.mappingId ||
      olds.remoteIdAttribute !== news.remoteIdAttribute;
    return { changes, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const conn = currentConnection();
    const list = await keystoneExpect(conn, "GET", listPath(inputs.idpId), [200]);
    const present = ((list.body.protocols as ListedProtocol[]) ?? []).find(
      (p) => p.id === inputs.protocolId,
    );
    const body = {
      protocol: { mapping_id: inputs.mappingId, remote_id_attribute: inputs.remoteIdAttribute },
    };
    const exact = (p: ListedProtocol) =>
      p.mapping_id === inputs.mappingId && p.remote_id_attribute === inputs.remoteIdAttribute;
    if (present) {
      // Exactly as desired (an interrupted earlier create): taken as created.
      if (exact(present)) return { id: idOf(inputs), outs: { ...inputs } };
      if (!inputs.adopt) {
        throw keystoneError(
          "PUT",
          onePath(inputs.idpId, inputs.protocolId),
          409,
          `protocol "${inputs.protocolId}" of identity provider "${inputs.idpId}" already exists (mapping ${present.mapping_id}); nothing was changed. To take it over, set adopt: true on this resource (federation.adopt in the stack configuration)`,
        );
      }
      await keystoneExpect(conn, "PATCH", onePath(inputs.idpId, inputs.protocolId), [200], body);
      return { id: idOf(inputs), outs: { ...inputs } };
    }
    const res = await keystoneCall(conn, "PUT", onePath(inputs.idpId, inputs.protocolId), body);
    if (res.status !== 201 && res.status !== 409)
      throw keystoneError(
        "PUT",
        onePath(inputs.idpId, inputs.protocolId),
        res.status,
        messageOf(res) + hintFor(res.status),
      );
    if (res.status === 409) {
      // A retried PUT whose first answer was lost: converge only if what exists is exactly ours.
      const again = await keystoneExpect(conn, "GET", listPath(inputs.idpId), [200]);
      const now = ((again.body.protocols as ListedProtocol[]) ?? []).find(
        (p) => p.id === inputs.protocolId,
      );
      if (!now || !exact(now)) {
        throw keystoneError(
          "PUT",
          onePath(inputs.idpId, inputs.protocolId),
          409,
          `protocol "${inputs.protocolId}" of identity provider "${inputs.idpId}" appeared meanwhile with mapping ${now?.mapping_id ?? "?"}; nothing was changed. To take it over, set adopt: true`,
        );
      }
    }
    return { id: idOf(inputs), outs: { ...inputs } };
  },

  async read(id, props) {
    const [idpId, protocolId] = id.split("/") as [string, string];
    const body = await readOne(listPath(idpId));
    const p = ((body?.protocols as ListedProtocol[] | undefined) ?? []).find(
      (x) => x.id === protocolId,
    );
    if (!p) return {};
    return {
      id,
      props: {
        idpId,
        protocolId,
        mappingId: p.mapping_id,
        remoteIdAttribute: p.remote_id_attribute ?? "",
        adopt: props?.adopt ?? false,
      },
    };
  },

  async update(_id, olds, news) {
    await keystoneExpect(
      currentConnection(),
      "PATCH",
      onePath(olds.idpId, olds.protocolId),
      [200],
      { protocol: { mapping_id: news.mappingId, remote_id_attribute: news.remoteIdAttribute } },
    );
    return { outs: { ...news } };
  },

  async delete(id) {
    const [idpId, protocolId] = id.split("/") as [string, string];
    await deleteOne(onePath(idpId, protocolId));
  },
};
