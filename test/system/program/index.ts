/**
 * The main program's Keystone federation (identity provider, mapping, protocol), declared exactly as
 * infra/stack.ts declares it, for the real engine. The federated users' domain is created by the
 * suite (from the main program's captured graph), and its id arrives as `okf-system:userDomainId`.
 */
import * as pulumi from "@pulumi/pulumi";
import { KeystoneFederation } from "../../../infra/components/keystone-federation";
import { loadStackConfig } from "../../../infra/config/load";
import { buildModel } from "../../../infra/model/federation-model";

const model = buildModel(loadStackConfig().config, pulumi.getStack());
const federation = new KeystoneFederation("federation", {
  model,
  domainId: new pulumi.Config("okf-system").require("userDomainId"),
  protect: model.protection.protect,
  retainIdpOnDelete: model.protection.retainIdpOnDelete,
  adopt: model.federation.adopt,
});

export const idpId = federation.identityProvider.idpId;
export const mappingId = federation.mapping.mappingId;
export const protocolId = federation.protocol.protocolId;
