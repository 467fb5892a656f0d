/**
 * Values that end up in rendered files (Apache, keystone.conf, Horizon's Python) or on login pages
 * must not carry syntax: a newline in a Horizon URL added a mod_auth_openidc directive that
 * `apache2 -t` accepted, and `${...}` in a URL was expanded by Apache. The URL parser strips tabs and
 * newlines silently, so the typed text is checked here, before anything is declared. The renderers
 * refuse the same on their own (infra/base/safe-text.ts).
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";
import { controlCharIn } from "../base/safe-text";

function urlProblem(v: string): string | undefined {
  return (
    controlCharIn(v) ??
    (v.includes("${")
      ? "'${'"
      : /["\\\s<>]/.test(v)
        ? "a quote, backslash, space or angle bracket"
        : undefined)
  );
}

function textProblem(v: string): string | undefined {
  return controlCharIn(v) ?? (v.includes("${") ? "'${'" : undefined);
}

export function textRules(cfg: StackConfig, push: Push): void {
  const url = (path: string, v: string | undefined) => {
    const p = v === undefined ? undefined : urlProblem(v);
    if (p)
      push(
        path,
        `contains ${p}`,
        "URLs are written into Apache, keystone.conf and Horizon's settings; give a plain URL",
      );
  };
  const text = (path: string, v: string | undefined) => {
    const p = v === undefined ? undefined : textProblem(v);
    if (p)
      push(
        path,
        `contains ${p}`,
        "remove it; display names and descriptions are shown on login pages and written into settings files",
      );
  };
  url("keycloak.url", cfg.keycloak.url);
  url("keystone.url", cfg.keystone.url);
  url("keystone.authUrl", cfg.keystone.authUrl);
  cfg.horizon.urls.forEach((u, i) => url(`horizon.urls[${i}]`, u));
  cfg.client.extraRedirectUris.forEach((u, i) => url(`client.extraRedirectUris[${i}]`, u));
  text("realm.displayName", cfg.realm.displayName);
  cfg.realm.customerRealms.forEach((r, i) =>
    text(`realm.customerRealms[${i}].displayName`, r.displayName),
  );
  cfg.tenants.forEach((t, i) => {
    text(`tenants[${i}].description`, t.description);
    t.projects.forEach((p, j) => text(`tenants[${i}].projects[${j}].description`, p.description));
  });
  cfg.access.forEach((a, i) => text(`access[${i}].description`, a.description));
}
