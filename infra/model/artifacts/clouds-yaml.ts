/**
 * clouds.yaml for federated CLI users: device authorization (`v3oidcdeviceauthz`, needs
 * keystoneauth1 >= 5.2; Debian 12 ships 5.0) with the public CLI client (no secret; PKCE S256,
 * which Keycloak then requires for the device grant too), and an access-token variant
 * (`v3oidcaccesstoken`). No secret is ever written into this file.
 */
import { stringify } from "yaml";
import type { DeploymentModel } from "../deployment-model";
import { discoveryUrl } from "../urls";

export interface CloudsOptions {
  /** Project to scope to by default: `<tenant>/<project>`; default the first project of the stack. */
  readonly project?: { readonly domain: string; readonly name: string };
}

export function cloudNames(model: DeploymentModel): { device: string; token: string } {
  return { device: `${model.stack}-oidc-device`, token: `${model.stack}-oidc-token` };
}

export function renderCloudsYaml(model: DeploymentModel, opts: CloudsOptions = {}): string {
  const first = model.keystone.projects[0];
  const project =
    opts.project ??
    (first
      ? {
          domain: model.keystone.domains.find((d) => d.key === first.domainKey)?.name ?? "",
          name: first.name,
        }
      : undefined);
  const f = model.federation;
  const common = {
    auth_url: model.keystone.urls.v3,
    identity_provider: f.idpId,
    protocol: f.protocolId,
    ...(project ? { project_name: project.name, project_domain_name: project.domain } : {}),
  };
  const names = cloudNames(model);
  const cli = model.keycloak.cliClient;
  const base = { region_name: "RegionOne", interface: "public", identity_api_version: 3 };
  return `# clouds.yaml for federated users of stack ${model.stack}. Generated; do not edit.\n${stringify(
    {
      clouds: {
        ...(cli
          ? {
              [names.device]: {
                auth_type: "v3oidcdeviceauthz",
                auth: {
                  ...common,
                  client_id: cli.clientId,
                  discovery_endpoint: discoveryUrl(model.keycloak.issuer),
                  code_challenge_method: cli.pkceMethod,
                },
                ...base,
              },
            }
          : {}),
        [names.token]: {
          auth_type: "v3oidcaccesstoken",
          auth: { ...common, access_token: "<paste an access token, or pass --os-access-token>" },
          ...base,
        },
      },
    },
  )}`;
}
