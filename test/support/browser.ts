/**
 * Debian's Chromium, headless, driven by playwright-core (no browser download). The flags keep it
 * off the network it cannot reach here; certificate errors are ignored because the local Keycloak's
 * TLS certificate is self-signed (the server side still verifies it: mod_auth_openidc has the CA).
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { inCI, REPO } from "./keystone-service";

export const CHROMIUM = process.env.OKF_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = join(REPO, ".work", "screenshots");

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium, or set OKF_CHROMIUM)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Chromium, or undefined with a one-line reason outside CI (under CI=true a missing browser fails). */
export async function launchChromiumOrSkip(): Promise<Browser | undefined> {
  try {
    return await launchChromium();
  } catch (e) {
    if (inCI()) throw e;
    console.warn(`skipping browser logins: ${(e as Error).message}`);
    return undefined;
  }
}
