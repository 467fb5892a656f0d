/**
 * Dynamic provider that lets a domain be deleted: Keystone refuses to delete an enabled domain
 * ("Cannot delete a domain that is enabled, please disable it first"), and @pulumi/openstack's
 * Project with isDomain deletes without disabling. The tenancy hands a domain's id to its projects
 * and groups through this resource, so on delete the engine runs it after everything inside the
 * domain is gone and just before the domain itself.
 *   check   -> no HTTP: domainId is required
 *   diff    -> no HTTP: another domainId -> replace
 *   create  -> GET /v3/domains/{id}: the domain must exist (nothing is changed)
 *   read    -> GET /v3/domains/{id}; 404 -> gone
 *   delete  -> PATCH /v3/domains/{id} {"domain": {"enabled": false}}; 404 counts as done
 */
import type * as pulumi from "@pulumi/pulumi";
import { keystoneError, keystoneExpect } from "./client";
import { isUnknown } from "./compare";
import { readOne } from "./crud";
import { configureFromStack, currentConnection } from "./runtime";

export interface DomainReleaseState {
  domainId: string;
}

const path = (domainId: string) => `/domains/${encodeURIComponent(domainId)}`;

export const domainReleaseProvider: pulumi.dynamic.ResourceProvider<
  DomainReleaseState,
  DomainReleaseState
> = {
  async configure(req) {
    configureFromStack((k) => req.config.get(k));
  },

  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (!isUnknown(news.domainId) && (typeof news.domainId !== "string" || news.domainId === ""))
      failures.push({ property: "domainId", reason: "is required" });
    return { inputs: news, failures };
  },

  async diff(_id, olds, news) {
    const replace = isUnknown(news.domainId) || olds.domainId !== news.domainId;
    return { changes: replace, replaces: replace ? ["domainId"] : [] };
  },

  async create(inputs) {
    if (!(await readOne(path(inputs.domainId))))
      throw keystoneError("GET", path(inputs.domainId), 404, "the domain does not exist");
    return { id: inputs.domainId, outs: { domainId: inputs.domainId } };
  },

  async read(id) {
    return (await readOne(path(id))) ? { id, props: { domainId: id } } : {};
  },

  async delete(id) {
    await keystoneExpect(currentConnection(), "PATCH", path(id), [200, 404], {
      domain: { enabled: false },
    });
  },
};
