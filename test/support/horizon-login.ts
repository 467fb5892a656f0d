/**
 * The browser login a user makes: Horizon, Keystone's WebSSO, Keycloak's login page, back into
 * Horizon; and the page a user checks afterwards (Identity > Projects). Shared by the suites that
 * log in through the program's own Apache configuration and through kolla-ansible's.
 */
import type { Page } from "playwright-core";

/**
 * Logs `user` in from Horizon's front page and waits until the browser is back in Horizon. Returns
 * every authorization request the browser sent to `issuer` (what mod_auth_openidc asked for).
 */
export async function loginThroughHorizon(
  page: Page,
  horizonUrl: string,
  issuer: string,
  user: { username: string; password: string },
  onLoginPage?: (page: Page) => Promise<void>,
): Promise<URL[]> {
  const authRequests: URL[] = [];
  page.on("request", (r) => {
    if (r.url().startsWith(`${issuer}/protocol/openid-connect/auth`))
      authRequests.push(new URL(r.url()));
  });
  await page.goto(`${horizonUrl}/`);
  await page.waitForSelector("#kc-form-login");
  await onLoginPage?.(page);
  await page.fill("#username", user.username);
  await page.fill("#password", user.password);
  await Promise.all([
    page.waitForURL((u) => u.origin === horizonUrl && !u.pathname.startsWith("/auth/")),
    page.click("#kc-login"),
  ]);
  await page.waitForLoadState();
  return authRequests;
}

/** The project names Horizon's Identity > Projects lists for the logged-in user. */
export async function listedProjects(page: Page, horizonUrl: string): Promise<string[]> {
  await page.goto(`${horizonUrl}/identity/`);
  await page.waitForSelector("table#tenants");
  return page.$$eval("table#tenants tbody tr:not(.empty)", (rows) =>
    // The name column: the first cell with text (a selection checkbox may come first).
    rows.map(
      (r) =>
        Array.from(r.querySelectorAll("td") as ArrayLike<{ textContent: string | null }>)
          .map((td) => (td.textContent ?? "").trim())
          .find((t) => t.length > 0) ?? "",
    ),
  );
}
