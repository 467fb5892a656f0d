/** Rules on the delivery of the rendered host files: targets, their hosts and pinned host keys. */
import type { Push } from "./issues";
import type { StackConfig } from "./schema";
import type { SecretPresence } from "./secrets";

/** An OpenSSH public key line: type and base64 body (a trailing comment is allowed). */
const SSH_HOST_KEY =
  /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/]+={0,3}( \S+)?$/;

export function deliveryRules(cfg: StackConfig, secrets: SecretPresence, push: Push): void {
  cfg.delivery.targets.forEach((t, i) => {
    // The schema requires an ssh target's host and host key; here the key's form.
    if (t.kind === "ssh" && !SSH_HOST_KEY.test(t.hostKey.trim()))
      push(
        `delivery.targets[${i}].hostKey`,
        "is not an SSH public key",
        "give the key type and its base64 text, e.g. `ssh-ed25519 AAAAC3Nza…`, without the host name",
      );
    if (cfg.delivery.enabled && t.kind === "ssh" && !secrets.deliverySshKey)
      push(
        "deliverySshKey",
        "is not set but a delivery target uses ssh",
        "run `pulumi config set --secret deliverySshKey < id_ed25519`",
      );
  });
  if (cfg.delivery.enabled && cfg.delivery.targets.length === 0)
    push(
      "delivery.targets",
      "delivery is enabled but has no targets",
      "add a target or set delivery.enabled: false",
    );
}
