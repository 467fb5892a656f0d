/**
 * Keystone OS-FEDERATION resources (@pulumi/openstack has none). Type tokens:
 * `pulumi-nodejs:dynamic/keystone:IdentityProvider|Mapping|FederationProtocol|DomainRelease`.
 * Credentials are never inputs: the provider reads them in configure() or from the environment.
 */
import * as pulumi from "@pulumi/pulumi";
import { domainReleaseProvider } from "./domain-release";
import { identityProviderProvider } from "./identity-provider";
import { mappingProvider } from "./mapping";
import { protocolProvider } from "./protocol";

/** dynamic.Resource's arguments for `pulumi-nodejs:dynamic/keystone:<type>` (the URNs depend on them). */
function keystoneType<T>(
  provider: pulumi.dynamic.ResourceProvider<T, T>,
  type: string,
  name: string,
  props: pulumi.Inputs,
  opts: pulumi.CustomResourceOptions | undefined,
) {
  return [provider, name, props, opts, "keystone", type] as const;
}

export interface IdentityProviderArgs {
  /** Keystone IdP id (required; fixed: a change replaces the IdP). */
  idpId: pulumi.Input<string>;
  /** Domain federated users land in (required; Keystone cannot change it: a change replaces the IdP). */
  domainId: pulumi.Input<string>;
  /** Issuers accepted from this IdP: the realm's exact issuer URL (required, at least one). */
  remoteIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Enabled. Default true. */
  enabled?: pulumi.Input<boolean>;
  /** Description. Default empty. */
  description?: pulumi.Input<string>;
  /** Take over an IdP that already exists (migration from kolla-ansible). Default false. */
  adopt?: pulumi.Input<boolean>;
}

/**
 * A Keystone identity provider. Deleting it also deletes its protocols and every federated user
 * Keystone created for it: protect it (or keep it with retainOnDelete) on long-lived stacks.
 */
export class IdentityProvider extends pulumi.dynamic.Resource {
  declare readonly idpId: pulumi.Output<string>;
  declare readonly domainId: pulumi.Output<string>;
  declare readonly remoteIds: pulumi.Output<string[]>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly description: pulumi.Output<string>;

  constructor(name: string, args: IdentityProviderArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { enabled: true, description: "", adopt: false, ...args };
    super(...keystoneType(identityProviderProvider, "IdentityProvider", name, props, opts));
  }
}

export interface MappingArgs {
  /** Keystone mapping id (required; a change replaces the mapping). */
  mappingId: pulumi.Input<string>;
  /** The mapping: `{rules: [...]}` or the bare rules array (required, at least one rule). */
  rules: pulumi.Input<unknown>;
  /** Take over a mapping that already exists; its rules are replaced. Default false. */
  adopt?: pulumi.Input<boolean>;
  /**
   * The stack's own protocol that uses this mapping, `idp/protocol`. Any other protocol using it
   * makes adopting or deleting the mapping refuse. Default none.
   */
  usedBy?: pulumi.Input<string>;
}

/** A Keystone federation mapping (`rules.json`). */
export class Mapping extends pulumi.dynamic.Resource {
  declare readonly mappingId: pulumi.Output<string>;
  declare readonly rules: pulumi.Output<{ rules: unknown[] }>;

  constructor(name: string, args: MappingArgs, opts?: pulumi.CustomResourceOptions) {
    super(...keystoneType(mappingProvider, "Mapping", name, { adopt: false, ...args }, opts));
  }
}

export interface FederationProtocolArgs {
  /** IdP the protocol belongs to (required; a change replaces the protocol). */
  idpId: pulumi.Input<string>;
  /** Protocol id (required; a change replaces the protocol). Usually `openid`. */
  protocolId: pulumi.Input<string>;
  /** Mapping the protocol uses (required). */
  mappingId: pulumi.Input<string>;
  /** Environ key Keystone compares with the IdP's remote_ids, e.g. HTTP_OIDC_ISS (required). */
  remoteIdAttribute: pulumi.Input<string>;
  /** Take over a protocol that already exists. Default false. */
  adopt?: pulumi.Input<boolean>;
}

/** A Keystone federation protocol binding an IdP to a mapping. */
export class FederationProtocol extends pulumi.dynamic.Resource {
  declare readonly idpId: pulumi.Output<string>;
  declare readonly protocolId: pulumi.Output<string>;
  declare readonly mappingId: pulumi.Output<string>;
  declare readonly remoteIdAttribute: pulumi.Output<string>;

  constructor(name: string, args: FederationProtocolArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { adopt: false, ...args };
    super(...keystoneType(protocolProvider, "FederationProtocol", name, props, opts));
  }
}

export interface DomainReleaseArgs {
  /** The domain (a Project with isDomain) this resource disables on delete (required). */
  domainId: pulumi.Input<string>;
}

/**
 * Disables its domain when it is deleted, so the engine can then delete the domain (Keystone
 * refuses to delete an enabled one). Pass `domainId` on to what lives in the domain, so that all of
 * it is deleted first.
 */
export class DomainRelease extends pulumi.dynamic.Resource {
  declare readonly domainId: pulumi.Output<string>;

  constructor(name: string, args: DomainReleaseArgs, opts?: pulumi.CustomResourceOptions) {
    super(...keystoneType(domainReleaseProvider, "DomainRelease", name, { ...args }, opts));
  }
}
