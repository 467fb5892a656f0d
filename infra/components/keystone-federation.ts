/**
 * Keystone OS-FEDERATION objects through the project's own dynamic provider: the identity provider
 * (remote_ids = the realm's exact issuer, bound to the federated users' domain), the mapping
 * generated from the model, and the protocol that binds them with its remote_id_attribute.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DeploymentModel } from "../model/deployment-model";
import { FederationProtocol, IdentityProvider, Mapping } from "../providers/keystone/resources";

export interface KeystoneFederationArgs {
  /** The derived federation model of this stack (required). */
  model: DeploymentModel;
  /** Keystone id of the domain federated users land in (required). */
  domainId: pulumi.Input<string>;
  /** Mark the objects `protect: true`. Default false. */
  protect?: boolean;
  /**
   * Keep the IdP in Keystone when the stack is destroyed. Deleting an IdP deletes its protocols and
   * every federated shadow user. Default false.
   */
  retainIdpOnDelete?: boolean;
  /** Take over objects that already exist (migration from kolla-ansible). Default false. */
  adopt?: boolean;
}

export class KeystoneFederation extends pulumi.ComponentResource {
  readonly identityProvider: IdentityProvider;
  readonly mapping: Mapping;
  readonly protocol: FederationProtocol;

  constructor(name: string, args: KeystoneFederationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("okf:keystone:Federation", name, {}, opts);
    const f = args.model.federation;
    const child = { parent: this, protect: args.protect ?? false };
    const adopt = args.adopt ?? false;

    this.identityProvider = new IdentityProvider(
      `${name}-idp`,
      {
        idpId: f.idpId,
        domainId: args.domainId,
        remoteIds: [...f.remoteIds],
        enabled: true,
        description: f.idpDescription,
        adopt,
      },
      { ...child, retainOnDelete: args.retainIdpOnDelete ?? false },
    );
    this.mapping = new Mapping(
      `${name}-mapping`,
      { mappingId: f.mappingId, rules: f.mapping, adopt, usedBy: `${f.idpId}/${f.protocolId}` },
      child,
    );
    this.protocol = new FederationProtocol(
      `${name}-protocol`,
      {
        idpId: this.identityProvider.idpId,
        protocolId: f.protocolId,
        mappingId: this.mapping.mappingId,
        remoteIdAttribute: f.remoteIdAttribute,
        adopt,
      },
      child,
    );
    this.registerOutputs({
      identityProvider: this.identityProvider,
      mapping: this.mapping,
      protocol: this.protocol,
    });
  }
}
