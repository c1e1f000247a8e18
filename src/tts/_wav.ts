/** Format and samples of a PCM WAV file. */
export interface PcmAudio {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Interleaved little-endian samples. */
  data: Uint8Array;
}

/** Bytes per sample frame (all channels). */
export function frameBytes(audio: Pick<PcmAudio, "channels" | "bitsPerSample">): number {
  return audio.channels * (audio.bitsPerSample / 8);
}

/** Parse a RIFF/WAVE PCM file; throws a one-line Error when it is not one. */
export function parseWav(bytes: Uint8Array): PcmAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") {
    throw new Error("not a RIFF/WAVE file");
  }
  let format: Omit<PcmAudio, "data"> | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    let size = view.getUint32(at + 4, true);
    const body = at + 8;
    // espeak-ng writing to a pipe leaves a placeholder size: clamp to what is there.
    if (size > bytes.length - body) size = bytes.length - body;
    if (id === "fmt ") {
      const codec = view.getUint16(body, true);
      if (codec !== 1) throw new Error(`unsupported WAV codec ${codec} (want PCM)`);
      format = {
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      if (!format) throw new Error("WAV data chunk before fmt chunk");
      const usable = size - (size % frameBytes(format));
      return { ...format, data: bytes.slice(body, body + usable) };
    }
    at = body + size + (size % 2);
  }
  throw new Error("WAV file has no data chunk");
}

/** Encode PCM samples as a canonical 44-byte-header WAV file. */
export function encodeWav(audio: PcmAudio): Uint8Array {
  const out = new Uint8Array(44 + audio.data.length);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  const block = frameBytes(audio);
  ascii(0, "RIFF");
  view.setUint32(4, 36 + audio.data.length, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, audio.channels, true);
  view.setUint32(24, audio.sampleRate, true);
  view.setUint32(28, audio.sampleRate * block, true);
  view.setUint16(32, block, true);
  view.setUint16(34, audio.bitsPerSample, true);
  ascii(36, "data");
  view.setUint32(40, audio.data.length, true);
  out.set(audio.data, 44);
  return out;
}
