/** Rules on the opt-in smoke check: its login, its user, the project and the group it names. */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";
import type { SecretPresence } from "./secrets";
import { missingSecret } from "./credential-rules";
import { LOOSE_ENVIRONMENTS } from "./url-rules";

export function smokeCheckRules(cfg: StackConfig, secrets: SecretPresence, push: Push): void {
  const smoke = cfg.smokeCheck;
  if (smoke.enabled) {
    if (!cfg.client.directAccessGrants)
      push(
        "smokeCheck.enabled",
        "the smoke check logs in with the password grant, which this stack's client does not allow",
        "enable client.directAccessGrants (local/test stacks only) or turn the smoke check off",
      );
    if (smoke.username === undefined)
      push(
        "smokeCheck.username",
        "is required when the smoke check is enabled",
        "give a Keycloak test user in a granted group",
      );
    if (!secrets.smokeCheckPassword) missingSecret(push, "smokeCheckPassword", "password");
    if (smoke.project === undefined)
      push(
        "smokeCheck.project",
        "is required when the smoke check is enabled",
        "give <tenant>/<project>",
      );
    else if (
      !cfg.tenants.some(
        (t) =>
          t.name === smoke.project?.tenant &&
          t.projects.some((p) => p.name === smoke.project?.name),
      )
    )
      push(
        "smokeCheck.project",
        `unknown project "${smoke.project.text}"`,
        "name a project of one of the stack's tenants",
      );
    if (smoke.createUser) {
      if (!LOOSE_ENVIRONMENTS.has(cfg.environment))
        push(
          "smokeCheck.createUser",
          `a test user would be created on a ${cfg.environment} stack`,
          "only local or test stacks may create one; use an existing user",
        );
      if (smoke.group === undefined)
        push(
          "smokeCheck.group",
          "is required when createUser is set",
          "give the access group <tenant>/<group> the test user joins",
        );
      else if (
        !cfg.access.some((a) => a.tenant === smoke.group?.tenant && a.group === smoke.group?.name)
      )
        push(
          "smokeCheck.group",
          `no access rule for "${smoke.group.text}"`,
          "name a group of the access rules",
        );
    }
  }
}
