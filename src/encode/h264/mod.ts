/**
 * A pure H.264 (Constrained Baseline, CAVLC) encoder for pictures that change a little at a
 * time: frames and their changed rectangles in, NAL units out, no I/O. Its reconstruction is
 * bit-identical to what any conforming decoder outputs (deblocking is off).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { annexB, fillFromGrey, H264Encoder, YuvPicture } from "./mod.ts";
 *
 * const encoder = new H264Encoder({ width: 64, height: 48, fps: 24 });
 * const picture = new YuvPicture(64, 48);
 * fillFromGrey(picture, new Uint8Array(64 * 48).fill(255));
 * const first = encoder.encode(picture);
 * const second = encoder.encode(picture, []); // nothing changed: a tiny P slice
 * assert.deepEqual([first.idr, second.idr], [true, false]);
 * assert.ok(second.nal.length < first.nal.length);
 * const stream = annexB([encoder.sps, encoder.pps, first.nal, second.nal]); // a raw .h264 file
 * const nalTypes = [encoder.sps, encoder.pps, first.nal].map((nal) => nal[0] & 0x1f);
 * assert.deepEqual(nalTypes, [7, 8, 5]); // SPS, PPS, IDR slice
 * assert.deepEqual([...stream.subarray(0, 4)], [0, 0, 0, 1]);
 * ```
 *
 * @module
 */
export { annexB, BitWriter, nalUnit } from "./_bit_writer.ts";
export {
  DEFAULT_QP,
  type EncodedPicture,
  H264Encoder,
  type H264EncoderOptions,
  MAX_QP,
  MIN_QP,
} from "./_encoder.ts";
export { fpsFraction } from "./_headers.ts";
export { fillFromGrey, fillFromRgb, type Rect, YuvPicture } from "./_picture.ts";
