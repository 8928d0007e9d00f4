// A small web app that shows the secrets it was started with (from its environment) on
// http://127.0.0.1:5000. In real life you would never print secrets; this is a demo.
import { createServer } from "node:http";

const names = ["TEST_CRED1_USER", "TEST_CRED1_PASSWORD", "TEST_CRED2_FOO", "TEST_CRED2_BAZ"];
const startedAt = new Date().toISOString();
const port = Number(process.env.APP_PORT ?? 5000);

const server = createServer((_req, res) => {
  const lines = names.map((n) => `${n}=${process.env[n] ?? "(unset)"}`);
  res.writeHead(200, { "content-type": "text/plain" });
  res.end(`pid=${process.pid} started=${startedAt}\n${lines.join("\n")}\n`);
});
server.listen(port, "127.0.0.1", () => console.log(`app: listening on http://127.0.0.1:${port} (pid ${process.pid})`));
process.on("SIGTERM", () => {
  console.log("app: SIGTERM received, shutting down");
  server.close(() => process.exit(0));
});
