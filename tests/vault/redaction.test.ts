import { afterAll, beforeAll, expect, test } from "bun:test";
import { redactor } from "../../src/log/redact.ts";
import { VaultClient } from "../../src/vault/client.ts";
import { type DevServer, startDevServer, vault } from "../helpers/devserver.ts";

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer();
});
afterAll(() => server.stop());

test("a token lookup taints the token and accessor, not the words around them", async () => {
  redactor.clear();
  const created = await vault(server, "POST", "auth/token/create", {
    policies: ["default"],
    display_name: "ci",
  });
  const token = created.json.auth.client_token as string;
  const client = new VaultClient({ address: server.address, token });
  const self = await client.lookupSelf();
  expect(redactor.redact(`renewed auth token ${token}`)).toBe("renewed auth token [redacted]");
  expect(redactor.redact(String(self!.data!.accessor))).toBe("[redacted]");
  expect(redactor.redact("service default token-ci")).toBe("service default token-ci");
});

test("secret data read through the client is tainted", async () => {
  redactor.clear();
  await vault(server, "POST", "secret/data/r", { data: { pw: "hunter2-value" } });
  const client = new VaultClient({ address: server.address, token: server.rootToken });
  await client.read("secret/data/r");
  expect(redactor.redact("pw is hunter2-value")).toBe("pw is [redacted]");
});
