/**
 * Keystone tenancy through @pulumi/openstack: a domain per tenant (plus the federated users'
 * domain), their projects, one group per access rule, and the groups' role assignments. Roles are
 * looked up by name, or created when the stack says so. Wiring only.
 */
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentModel } from "../model/deployment-model";
import { DomainRelease } from "../providers/keystone/resources";

export interface KeystoneTenancyArgs {
  /** The derived federation model of this stack (required). */
  model: DeploymentModel;
  /** The explicit OpenStack provider; lookups (getRole) must use it too (required). */
  provider: openstack.Provider;
  /** Mark domains, projects and groups `protect: true`. Default false. */
  protect?: boolean;
}

export class KeystoneTenancy extends pulumi.ComponentResource {
  /** Domains by model key (`domain-<name>`). */
  readonly domains: Readonly<Record<string, openstack.identity.Project>>;
  /** Each domain's id, passed on through its release (see DomainRelease), by model key. */
  readonly domainIds: Readonly<Record<string, pulumi.Output<string>>>;
  readonly projects: Readonly<Record<string, openstack.identity.Project>>;
  readonly groups: Readonly<Record<string, openstack.identity.GroupV3>>;
  /** Role ids by role name. */
  readonly roleIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: KeystoneTenancyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("okf:keystone:Tenancy", name, {}, opts);
    const ks = args.model.keystone;
    const child = { parent: this, protect: args.protect ?? false };

    const domains: Record<string, openstack.identity.Project> = {};
    const releases: Record<string, DomainRelease> = {};
    for (const d of ks.domains) {
      const domain = new openstack.identity.Project(
        `${name}-${d.key}`,
        { name: d.name, description: d.description, isDomain: true, enabled: true },
        child,
      );
      domains[d.key] = domain;
      releases[d.key] = new DomainRelease(
        `${name}-${d.key}-release`,
        { domainId: domain.id },
        child,
      );
    }
    // What lives in a domain takes its id from the release, so a delete runs in the order Keystone
    // needs: contents, then the release (disables the domain), then the domain.
    const domainIds = Object.fromEntries(Object.entries(releases).map(([k, r]) => [k, r.domainId]));
    const domainId = (key: string) => {
      const id = domainIds[key];
      if (!id) throw new pulumi.ResourceError(`internal: no domain ${key} in the model`, this);
      return id;
    };

    const projects: Record<string, openstack.identity.Project> = {};
    for (const p of ks.projects) {
      projects[p.key] = new openstack.identity.Project(
        `${name}-${p.key}`,
        {
          name: p.name,
          description: p.description,
          domainId: domainId(p.domainKey),
          enabled: true,
        },
        child,
      );
    }

    const groups: Record<string, openstack.identity.GroupV3> = {};
    for (const g of ks.groups) {
      groups[g.key] = new openstack.identity.GroupV3(
        `${name}-${g.key}`,
        { name: g.name, description: g.description, domainId: domainId(g.domainKey) },
        // A renamed group is a new group beside the old one (created first, its grants too), never
        // a rename in place: the mapping names groups, and until it is updated it must still find
        // the old name. The old group and its grants go after the mapping has changed.
        { ...child, replaceOnChanges: ["name"] },
      );
    }

    const roleIds: Record<string, pulumi.Output<string>> = {};
    for (const role of ks.roles.lookup) {
      roleIds[role] = openstack.identity.getRoleOutput(
        { name: role },
        { parent: this, provider: args.provider },
      ).id;
    }
    for (const role of ks.roles.create) {
      roleIds[role] = new openstack.identity.Role(`${name}-role-${role}`, { name: role }, child).id;
    }

    for (const grant of ks.grants) {
      const group = groups[grant.groupKey];
      const roleId = roleIds[grant.role];
      if (!group || !roleId)
        throw new pulumi.ResourceError(
          `internal: grant ${grant.key} refers to an unknown group or role`,
          this,
        );
      const target =
        "projectKey" in grant.target
          ? { projectId: projects[grant.target.projectKey]?.id }
          : { domainId: domainId(grant.target.domainKey) };
      new openstack.identity.RoleAssignment(
        `${name}-${grant.key}`,
        { groupId: group.id, roleId, ...target },
        { parent: this },
      );
    }

    this.domains = domains;
    this.domainIds = domainIds;
    this.projects = projects;
    this.groups = groups;
    this.roleIds = roleIds;
    // No outputs in the state: the fields above are for the program; as outputs, a reference to
    // each project and group would be copied into the state the engine writes after every step.
    this.registerOutputs({});
  }
}
