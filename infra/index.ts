/**
 * Composition root: load and validate the configuration, build the model, declare both sides,
 * export what operators and other stacks need. No logic lives here.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config/load";
import { declareStack } from "./stack";
import { keepStackTracesCheap } from "./stack-traces";

keepStackTracesCheap();
const { outputs } = declareStack(loadStackConfig(), pulumi.getStack());

export const issuer = outputs.issuer;
export const clientId = outputs.clientId;
export const idpId = outputs.idpId;
export const protocolId = outputs.protocolId;
export const mappingId = outputs.mappingId;
export const webssoUrl = outputs.webssoUrl;
export const cliAuthUrl = outputs.cliAuthUrl;
export const clientSecret = outputs.clientSecret;
export const hostConfiguration = outputs.hostConfiguration;
export const hostConfigurationWithSecrets = outputs.hostConfigurationWithSecrets;
