/**
 * The encoder: pictures plus the rectangles that changed since the previous picture in, NAL units
 * out. Unchanged macroblocks (outside the rectangles, or redrawn identically) are P_Skip; changed
 * ones are coded against the encoder's own reconstruction, as zero-motion P_L0_16x16 or
 * Intra_4x4, whichever costs fewer bits. An IDR picture starts the stream and replaces any picture
 * where most macroblocks changed; its blank macroblocks are Intra_16x16 without residual.
 *
 * The parts: `_change.ts` finds the macroblocks to code, `_mode_decision.ts` picks each one's
 * coding from `_intra.ts` predictions and `_residual.ts` coding, `_macroblock_syntax.ts` writes
 * it, and `_macroblock.ts` holds what they share. This file runs the picture loop and emits the
 * slice.
 */
import { BitWriter, nalUnit } from "./_bit_writer.ts";
import { ChangeMap } from "./_change.ts";
import {
  NAL_PPS,
  NAL_PRIORITY_HIGH,
  NAL_PRIORITY_HIGHEST,
  NAL_SLICE,
  NAL_SLICE_IDR,
  NAL_SPS,
} from "./_constants.ts";
import {
  fpsFraction,
  FRAME_NUM_BITS,
  pictureParameterSet,
  sequenceParameterSet,
  writeSliceHeader,
} from "./_headers.ts";
import { commitMacroblock, EncoderState } from "./_macroblock.ts";
import { ModeDecision } from "./_mode_decision.ts";
import type { Rect, YuvPicture } from "./_picture.ts";

/** How to encode a stream. */
export interface H264EncoderOptions {
  width: number;
  height: number;
  /** Frames per second, e.g. 19.3 (written as the exact fraction 193/10). */
  fps: number;
  /** Quantiser, {@link MIN_QP}..{@link MAX_QP} (`@default` {@link DEFAULT_QP}). */
  qp?: number;
  /**
   * Share of macroblocks that must change for a picture to be coded as IDR instead of P
   * (`@default` 0.5).
   */
  idrShare?: number;
  /**
   * Also try Intra_16x16 on textured macroblocks of IDR pictures (blank ones always use it).
   * Measured on 10 GSM8K videos: 0.2 % fewer bytes for ~15 % more IDR time (`@default` false).
   */
  tryIntra16?: boolean;
}

/**
 * Default QP. Measured on the first five GSM8K train rows (193 frames each): QP 21 gave 0.98× the
 * bytes of x264 (CRF 23, veryfast) at 45.6–47.6 dB luma PSNR against the painted frames, QP 20
 * 1.01× at 46.5–48.7 dB, QP 18 1.08× at 48.3–50.6 dB (x264: 47.0–48.6 dB). 19 keeps a margin over
 * 45 dB on dense pages (an 11-line page measured 44.6 dB at QP 20).
 */
export const DEFAULT_QP = 19;

/**
 * Lowest QP: below it an Intra_16x16 DC level can exceed what Baseline CAVLC can code
 * (level_prefix ≤ 15).
 */
export const MIN_QP = 12;
/** Largest quantiser H.264 allows. */
export const MAX_QP = 51;

/** One coded picture. */
export interface EncodedPicture {
  /** The slice NAL unit (no start code). */
  nal: Uint8Array;
  /** An IDR picture (a sync sample); the parameter sets must precede it in a byte stream. */
  idr: boolean;
}

/** Bit-exact H.264 Constrained Baseline encoder for pictures that change a little at a time. */
export class H264Encoder {
  readonly width: number;
  readonly height: number;
  readonly qp: number;
  /** The sequence parameter set NAL unit. */
  readonly sps: Uint8Array;
  /** The picture parameter set NAL unit. */
  readonly pps: Uint8Array;
  /** What a decoder reconstructs: the reference for the next picture. */
  readonly recon: YuvPicture;

  readonly #idrShare: number;
  readonly #state: EncoderState;
  readonly #changes: ChangeMap;
  readonly #modes: ModeDecision;
  readonly #slice = new BitWriter(1 << 16);
  #frames = 0;
  #frameNum = 0;
  #idrCount = 0;

  constructor(options: H264EncoderOptions) {
    this.width = options.width;
    this.height = options.height;
    this.qp = options.qp ?? DEFAULT_QP;
    if (!Number.isInteger(this.qp) || this.qp < MIN_QP || this.qp > MAX_QP) {
      throw new RangeError(`qp ${options.qp}: use an integer from ${MIN_QP} to ${MAX_QP}`);
    }
    this.#idrShare = options.idrShare ?? 0.5;
    this.#state = new EncoderState(options.width, options.height, this.qp);
    this.recon = this.#state.recon;
    this.#changes = new ChangeMap(options.width, options.height);
    this.#modes = new ModeDecision(this.#state, options.tryIntra16 ?? false);
    const { num, den } = fpsFraction(options.fps);
    const params = {
      width: this.width,
      height: this.height,
      fpsNum: num,
      fpsDen: den,
      qp: this.qp,
    };
    this.sps = nalUnit(NAL_PRIORITY_HIGHEST, NAL_SPS, sequenceParameterSet(params));
    this.pps = nalUnit(NAL_PRIORITY_HIGHEST, NAL_PPS, pictureParameterSet(params));
  }

  /**
   * Encode the next picture. `changed` lists the regions that differ from the previous picture
   * (ignored for the first); omitted, every macroblock is treated as changed.
   */
  encode(source: YuvPicture, changed?: readonly Rect[]): EncodedPicture {
    if (source.width !== this.width || source.height !== this.height) {
      throw new RangeError(
        `picture ${source.width}x${source.height} != ${this.width}x${this.height}`,
      );
    }
    const st = this.#state;
    const { mbWidth, mbHeight } = st;
    const total = mbWidth * mbHeight;
    let changedCount = total;
    if (changed && this.#frames > 0) {
      changedCount = this.#changes.mark(changed, source);
    } else {
      this.#changes.resetTo(source);
    }
    const idr = this.#frames === 0 || changedCount > total * this.#idrShare;
    if (idr) {
      this.#changes.codeAll();
      this.#frameNum = 0;
    }
    st.startPicture(source, !idr);

    const toCode = this.#changes.changed;
    const w = this.#slice;
    w.reset();
    writeSliceHeader(w, { idr, frameNum: this.#frameNum, idrPicId: this.#idrCount & 0xffff });
    let skipRun = 0;
    for (let mby = 0; mby < mbHeight; mby++) {
      for (let mbx = 0; mbx < mbWidth; mbx++) {
        if (!toCode[mby * mbWidth + mbx]) {
          skipRun++;
          continue;
        }
        st.mbx = mbx;
        st.mby = mby;
        const chosen = this.#modes.choose();
        if (chosen === null) {
          skipRun++;
          continue;
        }
        if (!idr) {
          w.ue(skipRun); // mb_skip_run
          skipRun = 0;
        }
        w.append(chosen.bits);
        commitMacroblock(st, chosen);
      }
    }
    if (skipRun > 0) w.ue(skipRun);
    w.trailingBits();
    const nal = idr
      ? nalUnit(NAL_PRIORITY_HIGHEST, NAL_SLICE_IDR, w.bytes())
      : nalUnit(NAL_PRIORITY_HIGH, NAL_SLICE, w.bytes());
    if (idr) this.#idrCount++;
    this.#frames++;
    this.#frameNum = (this.#frameNum + 1) & ((1 << FRAME_NUM_BITS) - 1);
    return { nal, idr };
  }
}
