/**
 * CA bundles named in the configuration (`keycloak.caBundle`, a file path). The Keycloak provider
 * wants the PEM text itself (its `rootCaCertificate`), not a path: given the path, every TLS
 * verification would fail. Read once at the edge, and refused when it holds no certificate.
 */
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ConfigIssue } from "./issues";

/** The PEM text of the bundle at `path`, or the problem, reported under `key`. */
export function readCaBundle(path: string, key: string): { pem: string } | { issue: ConfigIssue } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return {
      issue: {
        path: key,
        message: `cannot read "${path}" (${(e as NodeJS.ErrnoException).code ?? "error"})`,
        hint: "give the path of a PEM file with the CA certificate(s), readable by the user running Pulumi",
      },
    };
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const unreadable = blocks.filter((b) => {
    try {
      new X509Certificate(b);
      return false;
    } catch {
      return true;
    }
  });
  if (blocks.length === 0 || unreadable.length > 0) {
    return {
      issue: {
        path: key,
        message: `"${path}" holds ${blocks.length === 0 ? "no PEM certificate" : `${unreadable.length} unreadable certificate(s)`}`,
        hint: "give a PEM bundle of CA certificates (-----BEGIN CERTIFICATE-----)",
      },
    };
  }
  return { pem: blocks.join("\n") + "\n" };
}
