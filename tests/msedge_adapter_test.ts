/**
 * msedge-tts internals that videoword relies on (the static service URL, the private `_ws`
 * socket) still look as they did in the pinned version. An upgrade that moves them fails here,
 * naming what changed, instead of as flaky narrations.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { OUTPUT_FORMAT } from "msedge-tts";
import {
  DEFAULT_WSS_URL,
  edgeClient,
  internalsProblems,
  MSEDGE_TTS_VERSION,
  socketOf,
} from "../src/tts/_msedge_adapter.ts";
import { startEdgeServer } from "./helpers/edge_server.ts";
import { ROOT } from "./helpers/video.ts";

Deno.test("msedge-tts is pinned to the exact version the adapter was written against", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  assert.equal(config.imports["msedge-tts"], `npm:msedge-tts@${MSEDGE_TTS_VERSION}`);
  const lock = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.lock")));
  assert.equal(lock.specifiers[`npm:msedge-tts@${MSEDGE_TTS_VERSION}`], MSEDGE_TTS_VERSION);
});

Deno.test("msedge-tts internals: the static URL and a connected client's socket", async () => {
  assert.deepEqual(internalsProblems(), []);
  assert.match(DEFAULT_WSS_URL, /^wss:\/\/speech\.platform\.bing\.com\//);
  const server = startEdgeServer();
  const tts = edgeClient(server.url);
  try {
    assert.equal(socketOf(tts), undefined, "no socket before connecting");
    await tts.setMetadata("en-US-AriaNeural", OUTPUT_FORMAT.AUDIO_24KHZ_48KBITRATE_MONO_MP3);
    assert.deepEqual(internalsProblems(tts), []);
    assert.equal(socketOf(tts)?.readyState, 1, "the socket is open, and on our loopback server");
    assert.equal(server.connections, 1);
  } finally {
    const ws = socketOf(tts);
    if (ws) {
      const closed = new Promise<void>((resolve) => ws.once?.("close", resolve));
      ws.close();
      await closed;
    }
    edgeClient(DEFAULT_WSS_URL);
    await server.close();
  }
});

Deno.test("msedge-tts internals: a client without the socket is reported, loudly", () => {
  const problems = internalsProblems({ _ws: undefined } as never);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^msedge-tts internals changed \(read from 2\.0\.7\): .*no _ws socket/);
  const odd = internalsProblems({ _ws: { readyState: "open" } } as never);
  assert.ok(odd.some((p) => p.includes("readyState")) && odd.some((p) => p.includes("close")));
});
