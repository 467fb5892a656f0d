/**
 * `environment` turns guards off (http, insecure TLS, the password grant, test users), so it must
 * not be a word anyone can type by accident: a `local` stack talks only to services on this machine
 * (loopback hosts), and a stack named like production or staging declares that environment.
 */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined; // reported by the URL rules
  }
}

export function environmentRules(cfg: StackConfig, stack: string, push: Push): void {
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
  const named = /^(prod|production)(-|$)/i.test(stack)
    ? "production"
    : /^staging(-|$)/i.test(stack)
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
