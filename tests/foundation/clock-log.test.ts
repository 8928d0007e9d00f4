import { describe, expect, test } from "bun:test";
import { FakeClock } from "../../src/clock/clock.ts";
import { formatGoDuration, parseDurationSecond, parseGoDuration } from "../../src/clock/duration.ts";
import { parseJsonNumbers, stringifyJsonNumbers } from "../../src/common/json.ts";
import { Logger, MemorySink } from "../../src/log/logger.ts";
import { Redactor } from "../../src/log/redact.ts";

describe("FakeClock", () => {
  test("fires timers in order, only when advanced", async () => {
    const c = new FakeClock(0);
    const fired: number[] = [];
    c.setTimer(200, () => fired.push(2));
    c.setTimer(100, () => {
      fired.push(1);
      c.setTimer(50, () => fired.push(15));
    });
    const t = c.setTimer(120, () => fired.push(99));
    t.cancel();
    await c.advance(99);
    expect(fired).toEqual([]);
    await c.advance(200);
    expect(fired).toEqual([1, 15, 2]);
    expect(c.now()).toBe(299);
  });
  test("sleep is abortable", async () => {
    const c = new FakeClock(0);
    const ac = new AbortController();
    const p = c.sleep(1000, ac.signal);
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
  });
});

describe("durations", () => {
  test("Go parse/format round trips", () => {
    expect(parseGoDuration("1h30m")).toBe(5_400_000);
    expect(formatGoDuration(300_000)).toBe("5m0s");
    expect(formatGoDuration(1500)).toBe("1.5s");
    expect(() => parseGoDuration("5")).toThrow('time: missing unit in duration "5"');
    expect(() => parseGoDuration("5x")).toThrow('time: unknown unit "x" in duration "5x"');
    expect(parseDurationSecond(60)).toBe(60_000);
    expect(parseDurationSecond("60")).toBe(60_000);
    expect(parseDurationSecond("2m")).toBe(120_000);
  });
});

describe("json numbers", () => {
  test("keep their literal text", () => {
    const v = parseJsonNumbers('{"a":1.50,"b":12345678901234567890}');
    expect(stringifyJsonNumbers(v)).toBe('{"a":1.50,"b":12345678901234567890}');
  });
});

describe("logger", () => {
  test("hclog line format with redaction", () => {
    const sink = new MemorySink();
    const r = new Redactor();
    r.register({ password: "hunter22" });
    const log = Logger.create({
      sinks: [sink],
      clock: new FakeClock(Date.UTC(2026, 2, 17, 5, 28, 54, 393)),
      redactor: r,
      utcOffsetMinutes: 540,
    });
    log.named("agent").info("(runner) rendered", "path", "/tmp/a b", "pw", "hunter22");
    expect(sink.text()).toBe(
      '2026-03-17T14:28:54.393+0900 [INFO]  agent: (runner) rendered: path="/tmp/a b" pw=[redacted]\n',
    );
    log.debug("hidden");
    expect(sink.lines.length).toBe(1);
  });
  test("json format", () => {
    const sink = new MemorySink();
    const log = Logger.create({
      sinks: [sink],
      format: "json",
      clock: new FakeClock(0),
      utcOffsetMinutes: 0,
    });
    log.named("agent.auth").warn("x", "n", 3);
    expect(JSON.parse(sink.text())).toEqual({
      "@level": "warn",
      "@message": "x",
      "@module": "agent.auth",
      "@timestamp": "1970-01-01T00:00:00.000Z",
      n: 3,
    });
  });
});
