/**
 * One piper worker's memory: load a voice (one ONNX session, intra-op threads 1), speak a few
 * stories, print the process's peak RSS. Run by `deno task bench` in a process of its own.
 *
 * Usage: deno run -A tasks/piper_memory.ts VOICE.onnx
 *
 * @module
 */
import { join } from "node:path";
import { synthesize } from "../src/tts/mod.ts";

function rssMb(field: "VmHWM" | "VmRSS"): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
    Deno.readTextFileSync("/proc/self/status"),
  );
  return match ? Number(match[1]) / 1024 : NaN;
}

const voice = Deno.args[0];
const before = rssMb("VmRSS");
const cacheDir = await Deno.makeTempDir({ prefix: "piper-memory-" });
try {
  const sentences = [
    "Once upon a time, there was a little girl named Lily.",
    "She loved to play outside in the sunshine, and she had a big red ball.",
    "Natalia sold 48/2 = 24 clips in May.",
  ];
  for (let i = 0; i < 20; i++) {
    await synthesize(sentences.map((s) => `${s} ${i}`), {
      engine: "piper",
      language: "en",
      voice,
      cacheDir: join(cacheDir, String(i)),
    });
  }
  console.log(
    `piper worker memory (${voice.split("/").pop()}): peak RSS ${rssMb("VmHWM").toFixed(0)} MB ` +
      `(${before.toFixed(0)} MB before loading the voice and onnxruntime)`,
  );
} finally {
  await Deno.remove(cacheDir, { recursive: true });
}
