/**
 * The native H.264 encoder on painted text, checked by decoding with ffmpeg (`-xerror`: any
 * bitstream error fails) and with tinyh264 (h264bsd in WebAssembly): decoded frames are
 * bit-identical to the encoder's reconstruction, and
 * that reconstruction is within 45 dB luma PSNR of the painted frames. Macroblock cases: a single
 * glyph on white, glyphs across macroblock boundaries, a glyph at the right and bottom frame edges
 * (360 rows: the last macroblock row is padded and cropped), a page change (IDR), colour text.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { fontSpec, registerFonts } from "../src/paint/mod.ts";
import {
  annexB,
  DEFAULT_QP,
  fillFromGrey,
  fillFromRgb,
  H264Encoder,
  MIN_QP,
  type Rect,
  YuvPicture,
} from "../src/encode/h264/mod.ts";

const W = 640;
const H = 360;

/** A canvas that paints glyphs and reports the box each one touched. */
function painter(background: string, foreground: string) {
  registerFonts();
  const ctx = createCanvas(W, H).getContext("2d");
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, W, H);
  return {
    glyph(text: string, x: number, y: number, size = 28): Rect {
      ctx.font = fontSpec(size);
      ctx.fillStyle = foreground;
      ctx.fillText(text, x, y);
      const width = Math.ceil(ctx.measureText(text).width) + 2;
      const box = { x: x - 1, y: y - size, w: width, h: Math.ceil(size * 1.4) };
      const x0 = Math.max(0, box.x);
      const y0 = Math.max(0, box.y);
      return {
        x: x0,
        y: y0,
        w: Math.min(W, box.x + box.w) - x0,
        h: Math.min(H, box.y + box.h) - y0,
      };
    },
    clear(): void {
      ctx.fillStyle = background;
      ctx.fillRect(0, 0, W, H);
    },
    grey(): Uint8Array {
      const rgba = ctx.getImageData(0, 0, W, H).data;
      const out = new Uint8Array(W * H);
      for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4 + 1];
      return out;
    },
    rgb(): Uint8Array {
      const rgba = ctx.getImageData(0, 0, W, H).data;
      const out = new Uint8Array(W * H * 3);
      for (let i = 0; i < W * H; i++) {
        out[i * 3] = rgba[i * 4];
        out[i * 3 + 1] = rgba[i * 4 + 1];
        out[i * 3 + 2] = rgba[i * 4 + 2];
      }
      return out;
    },
  };
}

/** Decode an Annex B stream with ffmpeg into packed yuv420p frames; bitstream errors throw. */
async function ffmpegDecode(stream: Uint8Array): Promise<Uint8Array> {
  const dir = await Deno.makeTempDir({ prefix: "h264-test-" });
  try {
    const file = join(dir, "x.h264");
    await Deno.writeFile(file, stream);
    const out = await new Deno.Command("ffmpeg", {
      args: [
        "-hide_banner",
        "-loglevel",
        "error",
        "-xerror",
        "-f",
        "h264",
        "-i",
        file,
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p",
        "pipe:1",
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr).trim();
    if (!out.success || stderr) throw new Error(`ffmpeg decode failed: ${stderr}`);
    return out.stdout;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

// tinyh264 is h264bsd (the Android decoder) built to WebAssembly; its Emscripten loader expects a
// worker's `location`.
// deno-lint-ignore no-explicit-any
const scope = globalThis as any;
scope.location ??= { href: "file:///" };

/**
 * Decode with the second, independent decoder (tinyh264): NAL units one at a time, pictures
 * cropped to the visible size. Any decoder error throws.
 */
async function tinyDecode(stream: Uint8Array): Promise<Uint8Array[]> {
  // deno-lint-ignore no-explicit-any
  const { default: createModule } = await import("tinyh264/lib/TinyH264.js") as any;
  // deno-lint-ignore no-explicit-any
  const { default: TinyDecoder } = await import("tinyh264/lib/TinyH264Decoder.js") as any;
  const module = await createModule({});
  const frames: Uint8Array[] = [];
  const decoder = new TinyDecoder(module, (pic: Uint8Array, width: number, height: number) => {
    const out = new Uint8Array(W * H * 3 / 2);
    for (let r = 0; r < H; r++) out.set(pic.subarray(r * width, r * width + W), r * W);
    const cw = width / 2;
    for (let plane = 0; plane < 2; plane++) {
      const from = width * height + plane * cw * (height / 2);
      const to = W * H + plane * (W / 2) * (H / 2);
      for (let r = 0; r < H / 2; r++) {
        out.set(pic.subarray(from + r * cw, from + r * cw + W / 2), to + r * (W / 2));
      }
    }
    frames.push(out);
  });
  const starts: number[] = [];
  for (let i = 0; i + 3 < stream.length; i++) {
    if (stream[i] === 0 && stream[i + 1] === 0 && stream[i + 2] === 0 && stream[i + 3] === 1) {
      starts.push(i);
    }
  }
  starts.push(stream.length);
  for (let k = 0; k + 1 < starts.length; k++) {
    const status = decoder.decode(stream.subarray(starts[k], starts[k + 1]));
    if (status >= TinyDecoder.ERROR) throw new Error(`tinyh264: error ${status} at NAL ${k}`);
  }
  decoder.release();
  return frames;
}

function lumaPsnr(a: YuvPicture, b: YuvPicture): number {
  let se = 0;
  for (let r = 0; r < a.height; r++) {
    for (let c = 0; c < a.width; c++) {
      const d = a.y[r * a.lumaStride + c] - b.y[r * b.lumaStride + c];
      se += d * d;
    }
  }
  const mse = se / (a.width * a.height);
  // Limited-range luma spans 219 levels for the painted 0..255: the PSNR of the painted frames.
  return mse === 0 ? 99 : 10 * Math.log10((219 * 219) / mse);
}

interface Run {
  stream: Uint8Array;
  recon: Uint8Array[];
  idr: boolean[];
  bytes: number[];
  psnr: number[];
}

/** Encode frames one by one, keeping the reconstruction and its PSNR after each. */
function encodeAll(
  steps: { pixels: Uint8Array; rgb?: boolean; changed?: Rect[] }[],
  qp = DEFAULT_QP,
  tryIntra16 = false,
): Run {
  const encoder = new H264Encoder({ width: W, height: H, fps: 19.3, qp, tryIntra16 });
  const source = new YuvPicture(W, H);
  const nals = [encoder.sps, encoder.pps];
  const run: Run = { stream: new Uint8Array(), recon: [], idr: [], bytes: [], psnr: [] };
  for (const step of steps) {
    const fill = step.rgb ? fillFromRgb : fillFromGrey;
    if (step.changed) { for (const r of step.changed) fill(source, step.pixels, r); }
    else fill(source, step.pixels);
    const picture = encoder.encode(source, step.changed);
    if (picture.idr && nals.length > 2) nals.push(encoder.sps, encoder.pps);
    nals.push(picture.nal);
    run.recon.push(encoder.recon.toI420());
    run.idr.push(picture.idr);
    run.bytes.push(picture.nal.length);
    run.psnr.push(lumaPsnr(encoder.recon, source));
  }
  run.stream = annexB(nals);
  return run;
}

async function assertDecodesToReconstruction(run: Run): Promise<void> {
  const decoded = await ffmpegDecode(run.stream);
  const size = W * H * 3 / 2;
  assert.equal(decoded.length, size * run.recon.length, "ffmpeg decoded every frame");
  for (let f = 0; f < run.recon.length; f++) {
    const frame = decoded.subarray(f * size, (f + 1) * size);
    const same = frame.every((v, i) => v === run.recon[f][i]);
    assert.ok(same, `frame ${f}: ffmpeg's decode differs from the encoder's reconstruction`);
  }
  const second = await tinyDecode(run.stream);
  assert.equal(second.length, run.recon.length, "tinyh264 decoded every frame");
  for (let f = 0; f < run.recon.length; f++) {
    const same = second[f].every((v, i) => v === run.recon[f][i]);
    assert.ok(same, `frame ${f}: tinyh264's decode differs from the encoder's reconstruction`);
  }
}

Deno.test("native H.264: glyphs on white, at macroblock boundaries and frame edges decode bit-exactly", async () => {
  const p = painter("#FFFFFF", "#000000");
  const steps: { pixels: Uint8Array; changed?: Rect[] }[] = [{ pixels: p.grey() }];
  // A single glyph inside one macroblock's neighbourhood.
  steps.push({ pixels: new Uint8Array(), changed: [p.glyph("g", 100, 100)] });
  steps[1].pixels = p.grey();
  // Across the vertical boundary x = 320 and the horizontal boundary y = 192.
  const boundary = p.glyph("W", 310, 200);
  steps.push({ pixels: p.grey(), changed: [boundary] });
  // At the right edge and in the cropped last macroblock row (rows 352..359 visible).
  const edge = p.glyph("y", W - 9, H - 4, 22);
  assert.ok(edge.y + edge.h === H && edge.x + edge.w === W);
  steps.push({ pixels: p.grey(), changed: [edge] });
  // Nothing changed, though a region is reported redrawn: every macroblock is P_Skip.
  steps.push({ pixels: p.grey(), changed: [{ x: 0, y: 100, w: W, h: 120 }] });
  // A new page: most of the frame changes, so an IDR picture.
  p.clear();
  for (let line = 0; line < 11; line++) {
    p.glyph("The quick brown fox jumps over 13 dogs.", 8, 30 + line * 31);
  }
  steps.push({ pixels: p.grey(), changed: [{ x: 0, y: 0, w: W, h: H }] });
  // Two more words on the new page, one of them overlapping old ink.
  steps.push({ pixels: p.grey(), changed: [] });
  const words = [p.glyph("+42", 500, 330), p.glyph("x", 200, 61)];
  steps[6] = { pixels: p.grey(), changed: words };

  const run = encodeAll(steps);
  assert.deepEqual(run.idr, [true, false, false, false, false, true, false]);
  // Untouched macroblocks cost no more than a skip run: a few bytes for the whole picture.
  assert.ok(run.bytes[4] < 12, `unchanged picture took ${run.bytes[4]} bytes`);
  // A glyph costs a few macroblocks, far less than the page.
  assert.ok(run.bytes[1] < run.bytes[5] / 20, `glyph ${run.bytes[1]} vs page ${run.bytes[5]}`);
  for (const [f, psnr] of run.psnr.entries()) {
    assert.ok(psnr >= 45, `frame ${f}: luma PSNR ${psnr.toFixed(2)} dB < 45`);
  }
  await assertDecodesToReconstruction(run);
});

Deno.test("native H.264: colour text codes chroma exactly, and every QP decodes", async () => {
  const p = painter("#F4EED0", "#B02818");
  // Textured Intra_16x16 macroblocks too: the IDR tries them.
  p.glyph("IDR", 500, 40, 30);
  const first = p.rgb();
  const word = p.glyph("colour", 37, 77, 40);
  const line = p.glyph("Red on cream, 4:2:0 chroma", 3, 250, 30);
  const run = encodeAll(
    [
      { pixels: first, rgb: true },
      { pixels: p.rgb(), rgb: true, changed: [word, line] },
    ],
    DEFAULT_QP,
    true,
  );
  for (const psnr of run.psnr) assert.ok(psnr >= 45, `luma PSNR ${psnr.toFixed(2)}`);
  await assertDecodesToReconstruction(run);
  // Chroma is really coded: the decoded red text differs from the grey-chroma 128.
  const size = W * H * 3 / 2;
  const v = run.recon[1].subarray(W * H + (W * H) / 4, size);
  assert.ok(v.some((x) => x > 160), "red text raises Cr");

  for (const qp of [MIN_QP, 30, 40, 51]) {
    const q = painter("#FFFFFF", "#202020");
    const steps = [{ pixels: q.grey() }];
    const g = q.glyph("Qp", 150, 150, 36);
    const run2 = encodeAll([...steps, { pixels: q.grey(), changed: [g] }], qp);
    await assertDecodesToReconstruction(run2);
  }
});
