/** Provider error messages never carry a token or a credential (security: secrets never in errors). */
import { describe, expect, it } from "vitest";
import { scrub } from "../../infra/providers/keystone/client";

describe("scrub", () => {
  it("removes the connection's secrets, Fernet tokens, JWS tokens and URL credentials", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkIn0.c2lnbmF0dXJlLXBhcnQ";
    const fernet = `gAAAAA${"x".repeat(40)}`;
    expect(
      scrub(
        `token ${jwt} and ${fernet}; password hunter2-secret at https://admin:pw@keystone.example.com/v3`,
        ["hunter2-secret"],
      ),
    ).toBe("token *** and ***; password *** at https://***@keystone.example.com/v3");
  });

  it("keeps ordinary text, URLs without credentials and short words", () => {
    expect(
      scrub("GET https://keystone.example.com:5000/v3/OS-FEDERATION/mappings/m: HTTP 404 (eye)", [
        "ab",
      ]),
    ).toBe("GET https://keystone.example.com:5000/v3/OS-FEDERATION/mappings/m: HTTP 404 (eye)");
  });
});
