/** Keystone mapping (schema 1.0) as JSON, typed for what the generator emits. */

export interface RemoteRequirement {
  type: string;
  any_one_of?: string[];
  not_any_of?: string[];
  whitelist?: string[];
  blacklist?: string[];
  regex?: boolean;
}

export interface DomainRef {
  name?: string;
  id?: string;
}

export interface LocalUser {
  id?: string;
  name?: string;
  email?: string;
  type?: "ephemeral" | "local";
  domain?: DomainRef;
}

export interface LocalObject {
  user?: LocalUser;
  group?: { name: string; domain: DomainRef } | { id: string };
  groups?: string;
  group_ids?: string;
  domain?: DomainRef;
  projects?: { name: string; roles: { name: string }[] }[];
}

export interface MappingRule {
  local: LocalObject[];
  remote: RemoteRequirement[];
}

export interface MappingDocument {
  rules: MappingRule[];
}
