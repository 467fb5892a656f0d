import { afterEach, describe, expect, it } from "vitest";
import { keepStackTracesCheap } from "../../infra/stack-traces";

describe("keepStackTracesCheap", () => {
  const original = Error.prepareStackTrace;
  afterEach(() => {
    Error.prepareStackTrace = original;
  });

  it("leaves the SDK's message-less captures to V8 and maps every error with a message", () => {
    const mappedFor: string[] = [];
    Error.prepareStackTrace = (error: Error) => {
      mappedFor.push(error.message);
      return "mapped";
    };
    keepStackTracesCheap();

    const capture = new Error().stack ?? "";
    expect(capture.split("\n")[0]).toBe("Error");
    expect(capture).toMatch(/\n {4}at .*stack-traces\.test\.ts:\d+:\d+/);
    const failure = new Error("keystone.url: not a URL").stack;
    expect(failure).toBe("mapped");
    expect(mappedFor).toEqual(["keystone.url: not a URL"]);
  });

  it("changes nothing when no loader maps stack traces", () => {
    Reflect.deleteProperty(Error, "prepareStackTrace");
    keepStackTracesCheap();
    expect(Error.prepareStackTrace).toBeUndefined();
  });
});
