import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { InferenceSession } from "onnxruntime-node";
import type { PhonemeIdMap } from "./_phoneme_ids.ts";

/** What synthesis needs from a voice's `NAME.onnx.json`. */
export interface PiperVoiceConfig {
  sampleRate: number;
  espeakVoice: string;
  noiseScale: number;
  lengthScale: number;
  noiseW: number;
  numSpeakers: number;
  phonemeIdMap: PhonemeIdMap;
}

/** A loaded voice: its config and one ONNX session (intra-op threads 1). */
export interface PiperVoice {
  name: string;
  modelPath: string;
  config: PiperVoiceConfig;
  /** sha256 of the model and config files: the cache key's voice identity. */
  fingerprint: string;
  /** float samples in [-1, 1] for one sentence's ids at `lengthScale`. */
  infer(ids: number[], lengthScale: number): Promise<Float32Array>;
}

function num(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** Parse a Piper voice config; one-line errors name the file and the bad field. */
export function parseVoiceConfig(text: string, path: string): PiperVoiceConfig {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON (${(error as Error).message})`);
  }
  const audio = raw.audio as { sample_rate?: unknown } | undefined;
  const espeak = raw.espeak as { voice?: unknown } | undefined;
  const inference = (raw.inference ?? {}) as Record<string, unknown>;
  const idMap = raw.phoneme_id_map as PhonemeIdMap | undefined;
  const sampleRate = audio?.sample_rate;
  if (typeof sampleRate !== "number" || !(sampleRate > 0)) {
    throw new Error(`${path}: audio.sample_rate missing`);
  }
  if (raw.phoneme_type !== undefined && raw.phoneme_type !== "espeak") {
    throw new Error(`${path}: phoneme_type '${raw.phoneme_type}' is not supported (espeak only)`);
  }
  if (typeof espeak?.voice !== "string") throw new Error(`${path}: espeak.voice missing`);
  if (!idMap || typeof idMap !== "object" || !Array.isArray(idMap["_"])) {
    throw new Error(`${path}: phoneme_id_map missing`);
  }
  return {
    sampleRate,
    espeakVoice: espeak.voice,
    noiseScale: num(inference.noise_scale, 0.667),
    lengthScale: num(inference.length_scale, 1),
    noiseW: num(inference.noise_w, 0.8),
    numSpeakers: num(raw.num_speakers, 1),
    phonemeIdMap: idMap,
  };
}

/** sha256 of a file, streamed: a voice is 63 MB that need not sit in memory twice. */
async function sha256Hex(path: string): Promise<string> {
  const hash = createHash("sha256");
  // The readable closes the file when it ends.
  const file = await Deno.open(path, { read: true });
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}

/** Loaded voices of this process (thread): one session per voice, reused by every narration. */
const loaded = new Map<string, Promise<PiperVoice>>();

/**
 * Load `NAME.onnx` and `NAME.onnx.json` once per process. The session runs on one intra-op
 * thread (the same rule as ffmpeg's: parallelism comes from workers, not from inside one).
 */
export function loadPiperVoice(modelPath: string): Promise<PiperVoice> {
  let voice = loaded.get(modelPath);
  if (!voice) {
    voice = openVoice(modelPath);
    loaded.set(modelPath, voice);
    voice.catch(() => loaded.delete(modelPath));
  }
  return voice;
}

async function openVoice(modelPath: string): Promise<PiperVoice> {
  const configPath = `${modelPath}.json`;
  const config = parseVoiceConfig(await Deno.readTextFile(configPath), configPath);
  const fingerprint = `${await sha256Hex(modelPath)}:${await sha256Hex(configPath)}`;
  // Loaded on first use only: the native runtime costs ~50 MB and edge/espeak runs never need it.
  const ort = await import("onnxruntime-node");
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: "sequential",
      graphOptimizationLevel: "all",
      // Activations are freed after each sentence instead of kept in a grown arena.
      enableCpuMemArena: false,
    });
  } catch (error) {
    throw new Error(`cannot load Piper voice ${modelPath}: ${(error as Error).message}`);
  }
  const wantsSpeaker = session.inputNames.includes("sid");
  return {
    name: basename(modelPath).replace(/\.onnx$/, ""),
    modelPath,
    config,
    fingerprint,
    async infer(ids: number[], lengthScale: number): Promise<Float32Array> {
      const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
        input: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]),
        input_lengths: new ort.Tensor("int64", BigInt64Array.of(BigInt(ids.length)), [1]),
        scales: new ort.Tensor(
          "float32",
          Float32Array.of(config.noiseScale, lengthScale, config.noiseW),
          [3],
        ),
      };
      if (wantsSpeaker) feeds.sid = new ort.Tensor("int64", BigInt64Array.of(0n), [1]);
      const result = await session.run(feeds);
      const output = result[session.outputNames[0]];
      if (!(output?.data instanceof Float32Array)) {
        throw new Error(`${modelPath}: output is not float32 audio`);
      }
      return output.data;
    },
  };
}
