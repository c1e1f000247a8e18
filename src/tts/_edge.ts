import { type MsEdgeTTS, OUTPUT_FORMAT } from "msedge-tts";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import type { CacheEntry } from "./_cache.ts";
import { runChecked, runProcess } from "../process/mod.ts";
import { Semaphore } from "../concurrency/mod.ts";
import { oneLine } from "../errors/mod.ts";
import { withRetry } from "../retry/mod.ts";
import { DEFAULT_WSS_URL, edgeClient, internalsProblems, socketOf } from "./_msedge_adapter.ts";
import { buildSsml } from "./_ssml.ts";
import { type Boundary, layoutText, sentenceSpans, wordSpans } from "./_timing.ts";
import type { Narration } from "./_types.ts";

/** Env var that points the client at another endpoint (tests: a loopback server). */
export const EDGE_URL_ENV = "VIDEOWORD_EDGE_TTS_URL";

/** Edge offsets and durations are in 100-ns ticks. */
const TICKS_PER_SECOND = 10_000_000;

/** Requests in flight across all `synthesize` calls of this process. */
export const edgeSlots: Semaphore = new Semaphore(4);

/** Options of `synthesizeEdge`. */
export interface EdgeOptions {
  voice: string;
  locale: string;
  rate: number;
  ffprobeBin: string;
  /** Decodes the mp3 to measure what is heard. */
  ffmpegBin: string;
  attempts: number;
  retryDelayMs: number;
  attemptTimeoutMs: number;
  signal?: AbortSignal;
}

const WS_OPEN = 1;
const WS_CLOSED = 3;

/** Speak all sentences in one Edge request; retry with backoff; write the mp3 to `entry`. */
export async function synthesizeEdge(
  sentences: string[],
  entry: CacheEntry,
  options: EdgeOptions,
): Promise<Narration> {
  const layout = layoutText(sentences);
  const ssml = buildSsml(layout.text, options);
  const attempts = Math.max(1, Math.floor(options.attempts));
  let result: { audio: Uint8Array; boundaries: Boundary[] };
  try {
    result = await withRetry(() => edgeSlots.run(() => requestOnce(ssml, options)), {
      maxRetries: attempts - 1,
      baseDelayMs: options.retryDelayMs,
      // Any failed attempt is worth another (the service drops, throttles and hangs).
      isRetryable: () => true,
      signal: options.signal,
    });
  } catch (error) {
    options.signal?.throwIfAborted();
    const last = error instanceof Error && error.cause !== undefined ? error.cause : error;
    throw new Error(`edge TTS failed after ${attempts} attempt(s): ${oneLine(last)}`);
  }
  await writeFileAtomic(entry.audioPath, result.audio);
  const duration = await probeDuration(options.ffprobeBin, entry.audioPath, options.signal);
  return {
    audioPath: entry.audioPath,
    duration,
    heard: await heardDuration(entry.audioPath, duration, options),
    sentences: sentenceSpans(sentences, result.boundaries, { duration }),
    words: wordSpans(result.boundaries, { duration }),
  };
}

/** One connection, one SSML request; rejects on any sign of an incomplete answer. */
async function requestOnce(
  ssml: string,
  options: EdgeOptions,
): Promise<{ audio: Uint8Array; boundaries: Boundary[] }> {
  options.signal?.throwIfAborted();
  const tts = edgeClient(edgeUrl());
  let stop: (reason: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  const timer = setTimeout(
    () => stop(new Error(`no answer within ${options.attemptTimeoutMs} ms`)),
    options.attemptTimeoutMs,
  );
  const onAbort = (): void => stop(new Error("aborted"));
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const ready = tts.setMetadata(options.voice, OUTPUT_FORMAT.AUDIO_24KHZ_48KBITRATE_MONO_MP3, {
      voiceLocale: options.locale,
      sentenceBoundaryEnabled: true,
      wordBoundaryEnabled: true,
    });
    ready.catch(() => {});
    await Promise.race([ready, stopped]);
    // The library reconnects on its own when the socket is not open, and that path's errors
    // escape as unhandled rejections: treat a closed socket here as a failed attempt instead.
    const ws = socketOf(tts);
    if (!ws) throw new Error(internalsProblems(tts).join("; "));
    if (ws.readyState !== WS_OPEN) throw new Error("connection closed after setup");
    // The library's handler throws (uncaught, from a socket callback) on a message without a
    // request id or for an unknown request: turn that into a failed attempt instead of a crash.
    const handler = ws.onmessage;
    if (typeof handler === "function") {
      ws.onmessage = (message: unknown) => {
        try {
          handler(message);
        } catch (error) {
          stop(new Error(`unexpected message from the service: ${oneLine(error)}`));
        }
      };
    }
    const { audioStream, metadataStream } = tts.rawToStream(ssml);
    const boundaries: Boundary[] = [];
    metadataStream?.on("data", (chunk: Uint8Array) => collectBoundaries(chunk, boundaries));
    stopped.catch((reason) => audioStream.destroy(reason));
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of audioStream as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      size += chunk.length;
    }
    if (size === 0) throw new Error("no audio received");
    const audio = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      audio.set(chunk, at);
      at += chunk.length;
    }
    return { audio, boundaries };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    await shutdown(tts);
  }
}

function edgeUrl(): string {
  try {
    return Deno.env.get(EDGE_URL_ENV) || DEFAULT_WSS_URL;
  } catch {
    return DEFAULT_WSS_URL; // no env permission: the real service
  }
}

/**
 * Close the socket and wait until it is closed, so no stray message reaches the library
 * (it throws on messages for a request it has dropped) and no socket outlives the call.
 */
async function shutdown(tts: MsEdgeTTS): Promise<void> {
  const ws = socketOf(tts);
  if (!ws || ws.readyState === WS_CLOSED) return;
  ws.onmessage = () => {};
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = new Promise<void>((resolve) => {
    ws.once?.("close", resolve);
    timer = setTimeout(() => {
      ws.terminate?.();
      resolve();
    }, 2000);
  });
  try {
    ws.close();
  } catch {
    ws.terminate?.(); // still connecting
  }
  await closed;
  clearTimeout(timer);
}

/** Parse one `audio.metadata` body (`{"Metadata":[...]}`) into boundaries. */
function collectBoundaries(chunk: Uint8Array, into: Boundary[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(chunk));
  } catch {
    return; // a malformed event only costs its timing
  }
  const items = (parsed as { Metadata?: unknown })?.Metadata;
  if (!Array.isArray(items)) return;
  for (const item of items) {
    const type = item?.Type;
    const data = item?.Data;
    if (type !== "WordBoundary" && type !== "SentenceBoundary") continue;
    const offset = Number(data?.Offset);
    const length = Number(data?.Duration);
    const text = data?.text?.Text;
    if (!Number.isFinite(offset) || typeof text !== "string") continue;
    const start = offset / TICKS_PER_SECOND;
    into.push({
      kind: type === "WordBoundary" ? "word" : "sentence",
      text,
      start,
      end: start + (Number.isFinite(length) ? length : 0) / TICKS_PER_SECOND,
    });
  }
}

/** Duration of an audio file in seconds, as ffprobe reports it. */
export async function probeDuration(
  ffprobeBin: string,
  path: string,
  signal?: AbortSignal,
): Promise<number> {
  const { stdout } = await runChecked(ffprobeBin, [
    "-v",
    "error",
    "-show_entries",
    "format=duration",
    "-of",
    "default=noprint_wrappers=1:nokey=1",
    path,
  ], { tool: "ffprobe", signal });
  const seconds = Number.parseFloat(new TextDecoder().decode(stdout).trim());
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`ffprobe could not measure ${path}`);
  }
  return seconds;
}

/**
 * Seconds an mp3 is heard for: its decoded length, capped at the container `duration`. The
 * container (what ffprobe reports) counts the encoder delay and padding, ~60 ms more than is
 * heard and muxed; decoding counts samples.
 */
export async function heardDuration(
  path: string,
  duration: number,
  options: { ffmpegBin: string; signal?: AbortSignal },
): Promise<number> {
  const rate = 48_000;
  const out = await runProcess(options.ffmpegBin, [
    "-v",
    "error",
    "-nostdin",
    "-i",
    path,
    "-f",
    "s16le",
    "-ac",
    "1",
    "-ar",
    `${rate}`,
    "-",
  ], { tool: "ffmpeg", signal: options.signal });
  const seconds = out.stdout.length / 2 / rate;
  if (!out.success || seconds <= 0) {
    const detail = out.stderr.trim().split("\n").pop();
    throw new Error(`cannot decode narration ${path}: ${detail || `exit ${out.code}`}`);
  }
  return Math.min(duration, seconds);
}
