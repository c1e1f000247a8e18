/**
 * A loopback stand-in for the Edge read-aloud WebSocket service, speaking its protocol the way
 * msedge-tts expects it, with real speech: each sentence of the SSML is spoken by espeak-ng,
 * the whole turn is encoded to 24 kHz mono mp3 by ffmpeg, and the boundary events carry the
 * true sentence offsets (word offsets are spread over each sentence by length).
 *
 * @module
 */

/** How the first connections misbehave. */
export type ThrottleMode =
  | "refuse"
  | "before-audio"
  | "mid-turn"
  | "no-audio"
  | "hang"
  | "garbage";

/** Options of `startEdgeServer`. */
export interface EdgeServerOptions {
  /** The first `connections` connections fail in the given way. */
  throttle?: { connections: number; mode: ThrottleMode };
  /** Send SentenceBoundary events when the client asks for them (default true). */
  sentenceBoundaries?: boolean;
  /** Send WordBoundary events when the client asks for them (default true). */
  wordBoundaries?: boolean;
  espeakBin?: string;
  ffmpegBin?: string;
  /** Called when an SSML request arrives, before it is answered. */
  onSsml?: () => void;
}

/** One true sentence position in the served audio, seconds. */
export interface TrueSpan {
  text: string;
  start: number;
  end: number;
}

/** A request the server answered (or started to). */
export interface ServedRequest {
  /** The SSML document as received. */
  ssml: string;
  /** Its spoken text, entities decoded. */
  text: string;
  /** Voiced part of each sentence the server found, in order. */
  sentences: TrueSpan[];
  /** Length of the PCM before mp3 encoding, seconds. */
  duration: number;
}

/** A running server. */
export interface EdgeServer {
  /** `ws://127.0.0.1:PORT/edge/v1`, for `VIDEOWORD_EDGE_TTS_URL`. */
  url: string;
  /** Connection attempts so far (refused ones included). */
  readonly connections: number;
  /** SSML requests received, in order. */
  readonly requests: ServedRequest[];
  /** SSML documents rejected as malformed XML text. */
  readonly rejected: number;
  /** Most turns (SSML received, answer not finished) in progress at the same time. */
  readonly maxActive: number;
  /** Stop listening, close sockets and wait for work in progress. */
  close(): Promise<void>;
}

/** Silence the server puts between sentences, seconds. */
const GAP_SECONDS = 0.2;
const TICKS = 10_000_000;
const CHUNK_BYTES = 4096;

/** Start the server on an ephemeral loopback port. */
export function startEdgeServer(options: EdgeServerOptions = {}): EdgeServer {
  const sockets = new Set<WebSocket>();
  const work = new Set<Promise<void>>();
  const requests: ServedRequest[] = [];
  let connections = 0;
  let rejected = 0;
  let active = 0;
  let maxActive = 0;

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    connections++;
    const throttled = options.throttle && connections <= options.throttle.connections
      ? options.throttle.mode
      : undefined;
    if (throttled === "refuse") return new Response("Too Many Requests", { status: 429 });
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("websocket only", { status: 400 });
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    sockets.add(socket);
    socket.onclose = () => sockets.delete(socket);
    let config = { word: false, sentence: false };
    socket.onmessage = (event) => {
      if (typeof event.data !== "string") return;
      const { headers, body } = splitMessage(event.data);
      if (headers.Path === "speech.config") {
        const json = JSON.parse(body.trim());
        const meta = json?.context?.synthesis?.audio?.metadataoptions ?? {};
        config = {
          word: String(meta.wordBoundaryEnabled) === "true",
          sentence: String(meta.sentenceBoundaryEnabled) === "true",
        };
      } else if (headers.Path === "ssml") {
        const id = headers["X-RequestId"] ?? "";
        options.onSsml?.();
        maxActive = Math.max(maxActive, ++active);
        const task = answer(socket, id, body, config, throttled).catch(() => {
          if (socket.readyState === WebSocket.OPEN) socket.close(1011, "server error");
        }).finally(() => active--);
        work.add(task);
        task.finally(() => work.delete(task));
      }
    };
    return response;
  });

  async function answer(
    socket: WebSocket,
    id: string,
    ssml: string,
    config: { word: boolean; sentence: boolean },
    throttled: ThrottleMode | undefined,
  ): Promise<void> {
    const text = ssmlText(ssml);
    if (text === undefined) {
      rejected++;
      socket.close(1007, "invalid SSML");
      return;
    }
    const voice = /<voice\s+name="([^"]*)"/.exec(ssml)?.[1] ?? "";
    const spoken = await speakTurn(text, voice.startsWith("zh") ? "cmn" : "en-us", options);
    requests.push({ ssml, text, sentences: spoken.sentences, duration: spoken.duration });
    if (socket.readyState !== WebSocket.OPEN) return;
    if (throttled === "garbage") {
      // No X-RequestId and a turn.end for a request the client never made.
      socket.send("Content-Type:application/json\r\nPath:turn.start\r\n\r\n{}");
      socket.send(textMessage("0000", "turn.end", "{}"));
      return;
    }
    socket.send(textMessage(id, "turn.start", '{"context":{"serviceTag":"loopback"}}'));
    if (throttled === "before-audio") return socket.close();
    if (throttled === "hang") return; // say nothing more; the client must give up by itself
    if (throttled === "no-audio") {
      socket.send(textMessage(id, "turn.end", "{}"));
      return;
    }
    for (const event of boundaryEvents(spoken.sentences, config, options)) {
      socket.send(textMessage(id, "audio.metadata", JSON.stringify({ Metadata: [event] })));
    }
    const chunkCount = Math.ceil(spoken.mp3.length / CHUNK_BYTES);
    for (let i = 0; i < chunkCount; i++) {
      if (throttled === "mid-turn" && i >= chunkCount / 2) return socket.close();
      socket.send(audioFrame(id, spoken.mp3.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)));
    }
    socket.send(textMessage(id, "turn.end", "{}"));
  }

  return {
    url: `ws://127.0.0.1:${server.addr.port}/edge/v1`,
    get connections() {
      return connections;
    },
    requests,
    get rejected() {
      return rejected;
    },
    get maxActive() {
      return maxActive;
    },
    async close() {
      await Promise.allSettled([...work]);
      for (const socket of sockets) socket.close();
      await server.shutdown();
    },
  };
}

function splitMessage(message: string): { headers: Record<string, string>; body: string } {
  const cut = message.indexOf("\r\n\r\n");
  const head = cut < 0 ? message : message.slice(0, cut);
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers, body: cut < 0 ? "" : message.slice(cut + 4) };
}

function textMessage(id: string, path: string, body: string): string {
  return `X-RequestId:${id}\r\nContent-Type:application/json; charset=utf-8\r\nPath:${path}\r\n\r\n${body}`;
}

function audioFrame(id: string, mp3: Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(
    `X-RequestId:${id}\r\nContent-Type:audio/mpeg\r\nPath:audio\r\n`,
  );
  const frame = new Uint8Array(2 + header.length + mp3.length);
  frame[0] = header.length >> 8;
  frame[1] = header.length & 0xff;
  frame.set(header, 2);
  frame.set(mp3, 2 + header.length);
  return frame;
}

/** The text inside `<prosody>` (or `<voice>`), decoded; undefined when it is not valid XML text. */
function ssmlText(ssml: string): string | undefined {
  const inner = /<prosody[^>]*>([\s\S]*?)<\/prosody>/.exec(ssml)?.[1] ??
    /<voice[^>]*>([\s\S]*?)<\/voice>/.exec(ssml)?.[1];
  if (inner === undefined || /[<>]/.test(inner)) return undefined;
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(inner)) return undefined;
  return inner
    .replace(/&(lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, name: string) => {
      const named: Record<string, string> = { lt: "<", gt: ">", quot: '"', apos: "'" };
      if (named[name]) return named[name];
      return String.fromCodePoint(
        name.startsWith("#x") ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10),
      );
    })
    .replace(/&amp;/g, "&")
    .trim();
}

/** Split on sentence-final punctuation, keeping it with its sentence. */
function splitSentences(text: string): string[] {
  return (text.match(/[^.!?。！？]+(?:[.!?。！？]+|$)/gu) ?? [])
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

interface SpokenTurn {
  mp3: Uint8Array;
  sentences: TrueSpan[];
  duration: number;
}

async function speakTurn(
  text: string,
  voice: string,
  options: EdgeServerOptions,
): Promise<SpokenTurn> {
  const pieces: Uint8Array[] = [];
  const sentences: TrueSpan[] = [];
  let rate = 22050;
  let bytes = 0;
  for (const sentence of splitSentences(text)) {
    const wav = await run(options.espeakBin ?? "espeak-ng", [
      "-v",
      voice,
      "-z",
      "--stdout",
      "--stdin",
    ], new TextEncoder().encode(sentence));
    const pcm = wavPcm(wav);
    rate = pcm.rate;
    if (bytes > 0) {
      const gap = new Uint8Array(Math.round(GAP_SECONDS * rate) * 2);
      pieces.push(gap);
      bytes += gap.length;
    }
    sentences.push({
      text: sentence,
      start: bytes / 2 / rate,
      end: (bytes + pcm.data.length) / 2 / rate,
    });
    pieces.push(pcm.data);
    bytes += pcm.data.length;
  }
  const raw = new Uint8Array(bytes);
  let at = 0;
  for (const piece of pieces) {
    raw.set(piece, at);
    at += piece.length;
  }
  const dir = await Deno.makeTempDir({ prefix: "edge_server_" });
  try {
    await Deno.writeFile(`${dir}/turn.raw`, raw);
    await run(options.ffmpegBin ?? "ffmpeg", [
      "-v",
      "error",
      "-f",
      "s16le",
      "-ar",
      String(rate),
      "-ac",
      "1",
      "-i",
      `${dir}/turn.raw`,
      "-ar",
      "24000",
      "-ac",
      "1",
      "-c:a",
      "libmp3lame",
      "-b:a",
      "48k",
      `${dir}/turn.mp3`,
    ]);
    return { mp3: await Deno.readFile(`${dir}/turn.mp3`), sentences, duration: bytes / 2 / rate };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** SentenceBoundary and WordBoundary events as the service sends them (100-ns ticks). */
function boundaryEvents(
  sentences: TrueSpan[],
  config: { word: boolean; sentence: boolean },
  options: EdgeServerOptions,
): unknown[] {
  const events: unknown[] = [];
  const event = (type: string, text: string, start: number, end: number): unknown => ({
    Type: type,
    Data: {
      Offset: Math.round(start * TICKS),
      Duration: Math.round((end - start) * TICKS),
      text: { Text: text, Length: text.length, BoundaryType: type },
    },
  });
  for (const sentence of sentences) {
    if (config.sentence && options.sentenceBoundaries !== false) {
      events.push(event("SentenceBoundary", sentence.text, sentence.start, sentence.end));
    }
    if (!config.word || options.wordBoundaries === false) continue;
    const words = /\p{Script=Han}/u.test(sentence.text)
      ? [...sentence.text].filter((c) => /\p{L}|\p{N}/u.test(c))
      : sentence.text.split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
        .filter((w) => w.length > 0);
    const letters = words.reduce((n, w) => n + w.length, 0);
    let cursor = sentence.start;
    for (const word of words) {
      const length = (sentence.end - sentence.start) * word.length / letters;
      events.push(event("WordBoundary", word, cursor, cursor + length));
      cursor += length;
    }
  }
  return events;
}

async function run(bin: string, args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
  const child = new Deno.Command(bin, {
    args,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(stdin);
    await writer.close();
  }
  const out = await child.output();
  if (!out.success) throw new Error(`${bin} failed: ${new TextDecoder().decode(out.stderr)}`);
  return out.stdout;
}

/** 16-bit mono PCM from a WAV (espeak-ng's stdout header has placeholder sizes). */
function wavPcm(wav: Uint8Array): { rate: number; data: Uint8Array } {
  const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  let at = 12;
  let rate = 22050;
  while (at + 8 <= wav.length) {
    const id = String.fromCharCode(...wav.subarray(at, at + 4));
    const size = Math.min(view.getUint32(at + 4, true), wav.length - at - 8);
    if (id === "fmt ") rate = view.getUint32(at + 12, true);
    if (id === "data") return { rate, data: wav.slice(at + 8, at + 8 + size - (size % 2)) };
    at += 8 + size + (size % 2);
  }
  throw new Error("no data chunk in espeak output");
}
