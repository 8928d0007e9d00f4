// One id per `bun test` invocation, so the compiled test binary is rebuilt once per run.
process.env.VAULTRUN_TEST_RUN_ID ??= `${process.pid}-${Date.now()}`;
