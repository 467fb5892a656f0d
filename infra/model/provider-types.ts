/** The shape of how Pulumi reaches the services and where the rendered files go. Plain data. */

interface DeliveryTargetCommon {
  readonly name: string;
  /** Rendered folders this target receives (`apache`, `keystone`, ...). */
  readonly artifacts: readonly string[];
  readonly directory: string;
  readonly reloadCommand?: string;
}

/** Where the rendered files go: a host over SSH (its host key pinned) or this machine. */
export type DeliveryTargetSpec =
  | (DeliveryTargetCommon & {
      readonly kind: "ssh";
      readonly host: string;
      readonly user: string;
      readonly port: number;
      /** The SSH host key the target must show. */
      readonly hostKey: string;
    })
  | (DeliveryTargetCommon & { readonly kind: "local" });

/** A secret configuration key whose value the provider needs (the value never enters the model). */
export type ProviderSecret =
  | "keycloakAdminSecret"
  | "keycloakAdminPassword"
  | "keystonePassword"
  | "keystoneApplicationCredentialSecret"
  | "keystoneToken";

export interface ProviderSpecs {
  readonly keycloak: {
    readonly url: string;
    readonly realm: string;
    readonly clientId: string;
    /** A confidential admin client (its secret) or an admin user (its password). */
    readonly login:
      | { readonly kind: "client"; readonly secret: ProviderSecret }
      | { readonly kind: "user"; readonly username: string; readonly secret: ProviderSecret }
      | { readonly kind: "none" };
    readonly insecure: boolean;
  };
  readonly openstack: {
    readonly authUrl: string;
    readonly region: string;
    readonly insecure: boolean;
    readonly caBundle?: string;
    readonly cloud?: string;
    readonly credentials?:
      | {
          readonly method: "applicationCredential";
          readonly id: string;
          readonly secret: ProviderSecret;
        }
      | {
          readonly method: "password";
          readonly username: string;
          readonly userDomainName: string;
          readonly projectName: string;
          readonly projectDomainName: string;
          readonly secret: ProviderSecret;
        }
      | { readonly method: "token"; readonly secret: ProviderSecret };
  };
}
