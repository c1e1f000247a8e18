/**
 * Sequence and picture parameter sets and slice headers (clauses 7.3.2, 7.3.3) of the streams
 * this encoder writes: Constrained Baseline, one slice per picture, POC type 2, one reference.
 */
import { BitWriter } from "./_bit_writer.ts";
import {
  PROFILE_BASELINE,
  SLICE_TYPE_ALL_ALIKE,
  SLICE_TYPE_I,
  SLICE_TYPE_P,
} from "./_constants.ts";

/** What the parameter sets describe. */
export interface StreamParameters {
  width: number;
  height: number;
  /** Frame rate as an exact fraction: `fpsNum / fpsDen` frames per second. */
  fpsNum: number;
  fpsDen: number;
  qp: number;
}

/** Bits of frame_num (log2_max_frame_num). */
export const FRAME_NUM_BITS = 8;

/** Frames per second as a fraction with the smallest denominator ≤ 1001 (19.3 → 193/10). */
export function fpsFraction(fps: number): { num: number; den: number } {
  for (let den = 1; den <= 1001; den++) {
    const num = Math.round(fps * den);
    if (Math.abs(num / den - fps) < 1e-9) return { num, den };
  }
  throw new RangeError(`frame rate ${fps} has no fraction with denominator ≤ 1001`);
}

/** Smallest level (Table A-1) whose frame size and macroblock rate fit. */
export function levelFor(mbs: number, mbsPerSecond: number): number {
  const levels: [number, number, number][] = [
    [10, 99, 1485],
    [11, 396, 3000],
    [12, 396, 6000],
    [13, 396, 11880],
    [20, 396, 11880],
    [21, 792, 19800],
    [22, 1620, 20250],
    [30, 1620, 40500],
    [31, 3600, 108000],
    [32, 5120, 216000],
    [40, 8192, 245760],
    [42, 8704, 522240],
    [50, 22080, 589824],
    [51, 36864, 983040],
  ];
  for (const [level, maxFs, maxMbps] of levels) {
    if (mbs <= maxFs && mbsPerSecond <= maxMbps) return level;
  }
  return 51;
}

/** seq_parameter_set_rbsp. */
export function sequenceParameterSet(p: StreamParameters): Uint8Array {
  const mbWidth = Math.ceil(p.width / 16);
  const mbHeight = Math.ceil(p.height / 16);
  const w = new BitWriter(64);
  w.u(8, PROFILE_BASELINE); // profile_idc
  // constraint_set0 and constraint_set1: Constrained Baseline, decodable by Main decoders.
  w.u(8, 0b11000000);
  w.u(8, levelFor(mbWidth * mbHeight, Math.ceil((mbWidth * mbHeight * p.fpsNum) / p.fpsDen)));
  w.ue(0); // seq_parameter_set_id
  w.ue(FRAME_NUM_BITS - 4); // log2_max_frame_num_minus4
  w.ue(2); // pic_order_cnt_type: output order is decoding order
  w.ue(1); // max_num_ref_frames
  w.flag(0); // gaps_in_frame_num_value_allowed_flag
  w.ue(mbWidth - 1);
  w.ue(mbHeight - 1);
  w.flag(1); // frame_mbs_only_flag
  w.flag(1); // direct_8x8_inference_flag
  const cropRight = mbWidth * 16 - p.width;
  const cropBottom = mbHeight * 16 - p.height;
  if (cropRight || cropBottom) {
    w.flag(1); // frame_cropping_flag, in units of 2 luma samples (4:2:0)
    w.ue(0);
    w.ue(cropRight >> 1);
    w.ue(0);
    w.ue(cropBottom >> 1);
  } else {
    w.flag(0);
  }
  w.flag(1); // vui_parameters_present_flag
  w.flag(0); // aspect_ratio_info_present_flag
  w.flag(0); // overscan_info_present_flag
  w.flag(0); // video_signal_type_present_flag (limited-range BT.601 by default)
  w.flag(0); // chroma_loc_info_present_flag
  w.flag(1); // timing_info_present_flag: a tick is half a frame
  w.u(32, p.fpsDen);
  w.u(32, 2 * p.fpsNum);
  w.flag(1); // fixed_frame_rate_flag
  w.flag(0); // nal_hrd_parameters_present_flag
  w.flag(0); // vcl_hrd_parameters_present_flag
  w.flag(0); // pic_struct_present_flag
  w.flag(1); // bitstream_restriction_flag: no reordering, one frame buffered
  w.flag(1); // motion_vectors_over_pic_boundaries_flag
  w.ue(0); // max_bytes_per_pic_denom
  w.ue(0); // max_bits_per_mb_denom
  w.ue(15); // log2_max_mv_length_horizontal
  w.ue(15); // log2_max_mv_length_vertical
  w.ue(0); // max_num_reorder_frames
  w.ue(1); // max_dec_frame_buffering
  w.trailingBits();
  return w.bytes();
}

/** pic_parameter_set_rbsp: CAVLC, one slice group, deblocking control present. */
export function pictureParameterSet(p: StreamParameters): Uint8Array {
  const w = new BitWriter(16);
  w.ue(0); // pic_parameter_set_id
  w.ue(0); // seq_parameter_set_id
  w.flag(0); // entropy_coding_mode_flag: CAVLC
  w.flag(0); // bottom_field_pic_order_in_frame_present_flag
  w.ue(0); // num_slice_groups_minus1
  w.ue(0); // num_ref_idx_l0_default_active_minus1
  w.ue(0); // num_ref_idx_l1_default_active_minus1
  w.flag(0); // weighted_pred_flag
  w.u(2, 0); // weighted_bipred_idc
  w.se(p.qp - 26); // pic_init_qp_minus26
  w.se(0); // pic_init_qs_minus26
  w.se(0); // chroma_qp_index_offset
  w.flag(1); // deblocking_filter_control_present_flag
  w.flag(0); // constrained_intra_pred_flag
  w.flag(0); // redundant_pic_cnt_present_flag
  w.trailingBits();
  return w.bytes();
}

/** Write a slice header (whole picture, deblocking off) into `w`. */
export function writeSliceHeader(
  w: BitWriter,
  options: { idr: boolean; frameNum: number; idrPicId: number },
): void {
  w.ue(0); // first_mb_in_slice
  // slice_type: I or P, every slice of the picture alike
  w.ue(SLICE_TYPE_ALL_ALIKE + (options.idr ? SLICE_TYPE_I : SLICE_TYPE_P));
  w.ue(0); // pic_parameter_set_id
  w.u(FRAME_NUM_BITS, options.frameNum);
  if (options.idr) w.ue(options.idrPicId);
  if (!options.idr) {
    w.flag(0); // num_ref_idx_active_override_flag
    w.flag(0); // ref_pic_list_modification_flag_l0
  }
  // dec_ref_pic_marking: every picture is a reference, managed by the sliding window.
  if (options.idr) {
    w.flag(0); // no_output_of_prior_pics_flag
    w.flag(0); // long_term_reference_flag
  } else {
    w.flag(0); // adaptive_ref_pic_marking_mode_flag
  }
  w.se(0); // slice_qp_delta
  w.ue(1); // disable_deblocking_filter_idc: off, so the reconstruction needs no loop filter
}
