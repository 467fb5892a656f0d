/**
 * Delivers the rendered host configuration (opt-in per stack) with @pulumi/command: each file is
 * written to its targets from stdin (never on a command line), re-run only when its content hash
 * changes, then the target's reload command runs once after any change. Files holding secrets are
 * passed as secrets, so Pulumi keeps them encrypted in state.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { DeliveryTargetSpec } from "../model/deployment-model";
import type { Artifact } from "../model/artifacts";
import { contentHash, filesFor, installCommand } from "../model/delivery";

export interface HostConfigurationArgs {
  /** The rendered files (required); secret files' content should be a secret Output. */
  artifacts: pulumi.Input<Artifact[]>;
  /** Where they go (required, at least one). */
  targets: readonly DeliveryTargetSpec[];
  /** Private SSH key for `ssh` targets (secret). */
  sshPrivateKey?: pulumi.Input<string>;
  /** The artifacts as known at plan time: paths, modes, which hold secrets, and the content of those that do not (required). */
  paths: readonly Artifact[];
}

/** The SSH connection of a target: its host key pinned, so delivery refuses any other host. */
function sshConnection(
  target: Extract<DeliveryTargetSpec, { kind: "ssh" }>,
  privateKey: pulumi.Input<string> | undefined,
): command.types.input.remote.ConnectionArgs {
  return {
    host: target.host,
    user: target.user,
    port: target.port,
    hostKey: target.hostKey,
    ...(privateKey !== undefined ? { privateKey } : {}),
  };
}

export class HostConfiguration extends pulumi.ComponentResource {
  /** Every copy and reload command, over all targets. */
  readonly commands: readonly (command.remote.Command | command.local.Command)[];

  constructor(name: string, args: HostConfigurationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("okf:host:Configuration", name, {}, opts);
    const created: (command.remote.Command | command.local.Command)[] = [];
    const byPath = pulumi
      .output(args.artifacts)
      .apply((list) => new Map(list.map((a) => [a.path, a])));
    for (const target of args.targets) {
      const connection =
        target.kind === "ssh" ? sshConnection(target, args.sshPrivateKey) : undefined;
      const copies: (command.remote.Command | command.local.Command)[] = [];
      const hashes: pulumi.Output<string>[] = [];
      for (const f of filesFor(target, args.paths)) {
        // Files without secrets are fully known at plan time (and stay readable in previews); only
        // files holding secrets wait for (and inherit the secrecy of) the secret values.
        const content = f.artifact.secret
          ? byPath.apply((m) => m.get(f.artifact.path)?.content ?? "")
          : pulumi.output(f.artifact.content);
        const stdin = f.artifact.secret ? pulumi.secret(content) : content;
        const hash = content.apply(contentHash);
        hashes.push(hash);
        const common = {
          create: installCommand(f.destination, f.artifact.mode),
          stdin,
          triggers: [f.artifact.secret ? pulumi.secret(hash) : hash],
        };
        const logical = `${name}-${target.name}-${f.artifact.path.replace(/[^A-Za-z0-9]+/g, "-")}`;
        copies.push(
          connection
            ? new command.remote.Command(logical, { ...common, connection }, { parent: this })
            : new command.local.Command(
                logical,
                { ...common, interpreter: ["/bin/sh", "-c"] },
                { parent: this },
              ),
        );
      }
      created.push(...copies);
      if (target.reloadCommand && copies.length > 0) {
        const all = pulumi.all(hashes).apply((h) => contentHash(h.join("\n")));
        const reload = { create: target.reloadCommand, triggers: [all] };
        created.push(
          connection
            ? new command.remote.Command(
                `${name}-${target.name}-reload`,
                { ...reload, connection },
                { parent: this, dependsOn: copies },
              )
            : new command.local.Command(
                `${name}-${target.name}-reload`,
                { ...reload, interpreter: ["/bin/sh", "-c"] },
                { parent: this, dependsOn: copies },
              ),
        );
      }
    }
    this.commands = created;
    this.registerOutputs({ commands: created });
  }
}
