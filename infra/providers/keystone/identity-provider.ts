/**
 * Dynamic provider for a Keystone identity provider.
 *   check   -> no HTTP: validates inputs (remote_ids must not be empty: an IdP without them accepts any issuer)
 *   diff    -> no HTTP: remote_ids compared as a set; idpId or domainId change -> replace (Keystone cannot move an IdP)
 *   create  -> GET /v3/OS-FEDERATION/identity_providers/{idp}; 404 -> PUT (create);
 *              exists and exactly as desired (an interrupted earlier create) -> taken as created;
 *              exists otherwise -> error, or with adopt: PATCH to the desired state;
 *              PUT answered 409 (a retry whose first answer was lost) -> converge only on an exact match
 *   read    -> GET /v3/OS-FEDERATION/identity_providers/{idp}; 404 -> gone
 *   update  -> PATCH /v3/OS-FEDERATION/identity_providers/{idp} {remote_ids, enabled, description}
 *   delete  -> DELETE /v3/OS-FEDERATION/identity_providers/{idp}; 404 counts as done.
 *              Keystone also deletes the IdP's protocols and every federated (shadow) user it created.
 */
import type * as pulumi from "@pulumi/pulumi";
import { keystoneExpect } from "./client";
import { isUnknown, sameSet } from "./compare";
import { createExactly, deleteOne, readOne } from "./crud";
import { configureFromStack, currentConnection } from "./runtime";

export interface IdentityProviderState {
  idpId: string;
  domainId: string;
  remoteIds: string[];
  enabled: boolean;
  description: string;
  adopt: boolean;
}

function desired(inputs: IdentityProviderState) {
  return { remote_ids: inputs.remoteIds, enabled: inputs.enabled, description: inputs.description };
}

function stateFrom(body: Record<string, unknown>, adopt: boolean): IdentityProviderState {
  const idp = body.identity_provider as {
    id: string;
    domain_id: string;
    remote_ids?: string[];
    enabled?: boolean;
    description?: string | null;
  };
  return {
    idpId: idp.id,
    domainId: idp.domain_id,
    remoteIds: idp.remote_ids ?? [],
    enabled: idp.enabled ?? true,
    description: idp.description ?? "",
    adopt,
  };
}

const path = (idpId: string) => `/OS-FEDERATION/identity_providers/${encodeURIComponent(idpId)}`;

export const identityProviderProvider: pulumi.dynamic.ResourceProvider<
  IdentityProviderState,
  IdentityProviderState
> = {
  async configure(req) {
    configureFromStack((k) => req.config.get(k));
  },

  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!isUnknown(news.idpId) && !/^[A-Za-z0-9._-]{1,64}$/.test(String(news.idpId ?? "")))
      failures.push({ property: "idpId", reason: "must be 1-64 letters, digits, '.', '_' or '-'" });
    if (
      !isUnknown(news.remoteIds) &&
      (!Array.isArray(news.remoteIds) || news.remoteIds.length === 0)
    ) {
      failures.push({
        property: "remoteIds",
        reason:
          "must list at least one issuer: an identity provider without remote_ids accepts tokens of any issuer",
      });
    }
    if (!isUnknown(news.domainId) && (typeof news.domainId !== "string" || news.domainId === ""))
      failures.push({ property: "domainId", reason: "is required" });
    return {
      inputs: {
        ...news,
        enabled: news.enabled ?? true,
        description: news.description ?? "",
        adopt: news.adopt ?? false,
      },
      failures,
    };
  },

  async diff(_id, olds, news) {
    const replaces = (["idpId", "domainId"] as const).filter(
      (k) => isUnknown(news[k]) || olds[k] !== news[k],
    );
    const changed =
      replaces.length > 0 ||
      isUnknown(news.remoteIds) ||
      !sameSet(olds.remoteIds, news.remoteIds) ||
      olds.enabled !== news.enabled ||
      olds.description !== news.description;
    return { changes: changed, replaces, deleteBeforeReplace: true };
  },

  async create(inputs) {
    const outs = await createExactly({
      path: path(inputs.idpId),
      createBody: { identity_provider: { ...desired(inputs), domain_id: inputs.domainId } },
      patchBody: { identity_provider: desired(inputs) },
      adopt: inputs.adopt,
      stateFrom: (body) => stateFrom(body, inputs.adopt),
      // Exactly the desired object: its domain, issuers, enabled flag and description.
      exact: (s) =>
        s.domainId === inputs.domainId &&
        sameSet(s.remoteIds, inputs.remoteIds) &&
        s.enabled === inputs.enabled &&
        s.description === inputs.description,
      exists: (s) =>
        `identity provider "${inputs.idpId}" already exists (domain ${s.domainId}, remote_ids ${JSON.stringify(s.remoteIds)}); nothing was changed. To take it over, set adopt: true on this resource (federation.adopt in the stack configuration), or delete it first`,
      cannotAdopt: (s) =>
        s.domainId === inputs.domainId
          ? undefined
          : `identity provider "${inputs.idpId}" is bound to domain ${s.domainId}, not ${inputs.domainId}; Keystone cannot move it. Use the existing domain, or delete the IdP (this deletes its federated users) and let the stack create it`,
    });
    return { id: inputs.idpId, outs };
  },

  async read(id, props) {
    const body = await readOne(path(id));
    return body ? { id, props: stateFrom(body, props?.adopt ?? false) } : {};
  },

  async update(_id, olds, news) {
    const res = await keystoneExpect(currentConnection(), "PATCH", path(olds.idpId), [200], {
      identity_provider: desired(news),
    });
    return { outs: stateFrom(res.body, news.adopt) };
  },

  async delete(id) {
    await deleteOne(path(id));
  },
};
