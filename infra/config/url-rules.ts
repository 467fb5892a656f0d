/**
 * Cross-field rules on URLs: well-formed base URLs without credentials, query or fragment, https
 * outside local and test stacks, no duplicates.
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";

export const LOOSE_ENVIRONMENTS = new Set(["local", "test"]);

/** The URL as it may appear in a message: credentials embedded in it are never echoed. */
export const shownUrl = (raw: string) =>
  raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i, "$1***@");

/** Checks a base URL typed in the config; returns nothing when it is fine. */
export function checkBaseUrl(
  push: Push,
  path: string,
  typed: string,
  env: StackConfig["environment"],
  what: string,
): URL | undefined {
  const raw = JSON.stringify(shownUrl(typed)); // quoted, control characters escaped
  let url: URL;
  try {
    url = new URL(typed);
  } catch {
    push(
      path,
      `${raw} is not a valid URL`,
      `give an absolute URL such as https://${what}.example.com`,
    );
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    push(path, `scheme "${url.protocol}" is not http(s)`, "use https://");
    return undefined;
  }
  if (url.protocol === "http:" && env !== "local") {
    push(
      path,
      `${raw} is not https`,
      `only a local stack may use http; this stack's environment is ${env}`,
    );
  }
  if (typed.endsWith("/")) {
    push(
      path,
      `${raw} ends with a slash`,
      `remove the trailing slash; derived URLs (issuer, redirect URIs) must match exactly`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    push(path, `${raw} has a query or fragment`, "give the bare base URL");
  }
  if (url.username !== "" || url.password !== "") {
    push(
      path,
      "the URL embeds credentials",
      "remove them; secrets are set with `pulumi config set --secret`",
    );
  }
  return url;
}

export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

export function urlRules(cfg: StackConfig, push: Push): void {
  const env = cfg.environment;
  const kc = checkBaseUrl(push, "keycloak.url", cfg.keycloak.url, env, "id");
  if (kc && /\/realms(\/|$)/.test(kc.pathname)) {
    push(
      "keycloak.url",
      `"${cfg.keycloak.url}" contains /realms/`,
      "give the Keycloak base URL; the issuer https://<host>/realms/<realm> is derived from realm.name",
    );
  }
  const ks = checkBaseUrl(push, "keystone.url", cfg.keystone.url, env, "keystone");
  if (ks && /\/v3(\/|$)/.test(ks.pathname)) {
    push(
      "keystone.url",
      `"${cfg.keystone.url}" contains /v3`,
      "give Keystone's public base URL without /v3; API paths are derived",
    );
  }
  if (cfg.keystone.authUrl !== undefined) {
    const auth = checkBaseUrl(push, "keystone.authUrl", cfg.keystone.authUrl, env, "keystone");
    const allowed = [ks?.hostname, ...cfg.keystone.authHosts].map((h) => h?.toLowerCase());
    if (auth && ks && !allowed.includes(auth.hostname.toLowerCase()))
      push(
        "keystone.authUrl",
        `names host ${auth.hostname}, not keystone.url's ${ks.hostname}`,
        `Pulumi sends the Keystone credentials there: if that host is yours, list it in keystone.authHosts`,
      );
  }
  cfg.horizon.urls.forEach((u, i) => checkBaseUrl(push, `horizon.urls[${i}]`, u, env, "dashboard"));
  for (const d of duplicates(cfg.horizon.urls))
    push("horizon.urls", `"${d}" is listed twice`, "list each dashboard once");
  cfg.client.extraRedirectUris.forEach((u, i) => {
    const path = `client.extraRedirectUris[${i}]`;
    if (u.includes("*")) {
      push(
        path,
        `"${u}" contains a wildcard`,
        "Keycloak must only redirect to exact URIs; list each URI in full",
      );
      return;
    }
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      push(path, `"${u}" is not a valid URL`, "give an absolute URL");
      return;
    }
    if (url.protocol !== "https:" && !(env === "local" && url.protocol === "http:")) {
      push(
        path,
        `"${u}" is not https`,
        `only a local stack may use http; this stack's environment is ${env}`,
      );
    }
    if (url.hash !== "")
      push(path, `"${u}" has a fragment`, "redirect URIs must not contain a fragment");
  });
}
