/**
 * `environment` turns guards off (http, insecure TLS, the password grant, test users), so it must
 * not be a word anyone can type by accident: a `local` stack talks only to services on this machine
 * (loopback hosts), and a stack named like production or staging declares that environment.
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;
/**
 * A word of the stack name (between `-`, `_`, `.` or the ends, digits allowed after it) that says
 * production or staging: `prod`, `eu-prod`, `prod2`, `live`; `product-demo` is none.
 */
const PRODUCTION_NAME = /(^|[-_.])(prod|production|live)\d*($|[-_.])/i;
const STAGING_NAME = /(^|[-_.])(staging|stage|stg)\d*($|[-_.])/i;

/** The longest token and session lifetimes a staging or production realm may have (seconds). */
export const LIFETIME_LIMITS = {
  accessToken: 900,
  ssoSessionIdle: 28_800,
  ssoSessionMax: 86_400,
  deviceCode: 1_800,
  offlineSessionIdle: 2_592_000,
  offlineSessionMax: 7_776_000,
} as const;

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined; // reported by the URL rules
  }
}

export function environmentRules(cfg: StackConfig, stack: string, push: Push): void {
  if (cfg.environment === "production" && !cfg.protection.protect) {
    push(
      "protection.protect",
      "a production stack is not protected",
      "set protection.protect: true so `pulumi destroy` cannot delete production objects",
    );
  }
  if (cfg.environment === "staging" || cfg.environment === "production") {
    // A stolen access token works until it expires, whatever logout or Keycloak says.
    for (const [key, limit] of Object.entries(LIFETIME_LIMITS)) {
      const value = cfg.realm.tokens[key as keyof typeof LIFETIME_LIMITS];
      if (value > limit)
        push(
          `realm.tokens.${key}`,
          `${value} s is longer than a ${cfg.environment} stack allows (${limit} s)`,
          `give at most ${limit}; longer lifetimes are for local and test stacks`,
        );
    }
  }
  if (cfg.environment === "local") {
    const urls: [string, string | undefined][] = [
      ["keycloak.url", cfg.keycloak.url],
      ["keystone.url", cfg.keystone.url],
      ["keystone.authUrl", cfg.keystone.authUrl],
      ...cfg.horizon.urls.map((u, i): [string, string] => [`horizon.urls[${i}]`, u]),
    ];
    for (const [path, url] of urls) {
      const host = hostOf(url);
      if (host !== undefined && !LOOPBACK.test(host)) {
        push(
          path,
          `host "${host}" is not on this machine, but the environment is local`,
          "local turns off TLS and grant guards and is only for services on loopback; use environment test, staging or production",
        );
      }
    }
  }
  const named = PRODUCTION_NAME.test(stack)
    ? "production"
    : STAGING_NAME.test(stack)
      ? "staging"
      : undefined;
  if (named !== undefined && cfg.environment !== named) {
    push(
      "environment",
      `stack "${stack}" is named like ${named}, but declares "${cfg.environment}"`,
      `declare environment: ${named}, or give a test stack another name`,
    );
  }
}
