/**
 * Named values of H.264 syntax elements this encoder writes (clause 7.4 and its tables): NAL unit
 * types and priorities, profile, slice types, macroblock types and prediction modes.
 */

// ---- NAL units (Table 7-1) ----

/** nal_unit_type of a slice of a non-IDR picture. */
export const NAL_SLICE = 1;
/** nal_unit_type of a slice of an IDR picture. */
export const NAL_SLICE_IDR = 5;
/** nal_unit_type of a sequence parameter set. */
export const NAL_SPS = 7;
/** nal_unit_type of a picture parameter set. */
export const NAL_PPS = 8;

/** nal_ref_idc of parameter sets and IDR slices (any non-zero value marks a reference). */
export const NAL_PRIORITY_HIGHEST = 3;
/** nal_ref_idc of P slices: still a reference picture. */
export const NAL_PRIORITY_HIGH = 2;

// ---- sequence parameter set ----

/** profile_idc of the Baseline profile (Annex A.2.1). */
export const PROFILE_BASELINE = 66;

// ---- slice header (Table 7-6) ----

/** slice_type P. */
export const SLICE_TYPE_P = 0;
/** slice_type I. */
export const SLICE_TYPE_I = 2;
/** Added to a slice_type: every slice of the picture has that type. */
export const SLICE_TYPE_ALL_ALIKE = 5;

// ---- macroblock types (Tables 7-11, 7-13) ----

/** mb_type I_NxN (Intra_4x4 without the 8×8 transform) in an I slice. */
export const MB_I_NXN = 0;
/** mb_type of the first I_16x16 type in an I slice; its prediction mode and cbp add to it. */
export const MB_I_16X16_BASE = 1;
/** mb_type step of I_16x16 per coded_block_pattern chroma value. */
export const MB_I_16X16_CBP_CHROMA_STEP = 4;
/** mb_type step of I_16x16 when luma AC coefficients are coded (cbp luma 15). */
export const MB_I_16X16_CBP_LUMA_STEP = 12;
/** mb_type P_L0_16x16 in a P slice. */
export const MB_P_L0_16X16 = 0;
/** Added to an I-slice mb_type to code the same intra macroblock in a P slice. */
export const MB_P_INTRA_OFFSET = 5;

// ---- prediction modes (Tables 8-2, 8-4, 8-5) ----

/** Intra4x4PredMode Intra_4x4_Vertical. */
export const INTRA4X4_VERTICAL = 0;
/** Intra4x4PredMode Intra_4x4_Horizontal. */
export const INTRA4X4_HORIZONTAL = 1;
/** Intra4x4PredMode Intra_4x4_DC; also the mode assumed of a block that is not Intra_4x4. */
export const INTRA4X4_DC = 2;
/** Intra4x4 modes this encoder tries: vertical, horizontal and DC (0..2). */
export const INTRA4X4_MODES_TRIED = 3;

/** Intra16x16PredMode Intra_16x16_Vertical. */
export const INTRA16X16_VERTICAL = 0;
/** Intra16x16PredMode Intra_16x16_Horizontal. */
export const INTRA16X16_HORIZONTAL = 1;
/** Intra16x16PredMode Intra_16x16_DC. */
export const INTRA16X16_DC = 2;
/** Intra16x16PredMode Intra_16x16_Plane (not used by this encoder). */
export const INTRA16X16_PLANE = 3;
/** Intra_16x16 modes this encoder tries: vertical, horizontal and DC (0..2). */
export const INTRA16X16_MODES_TRIED = 3;

/** intra_chroma_pred_mode DC, the only chroma mode this encoder uses. */
export const CHROMA_PRED_DC = 0;
/** intra_chroma_pred_mode horizontal (not used by this encoder). */
export const CHROMA_PRED_HORIZONTAL = 1;
/** intra_chroma_pred_mode vertical (not used by this encoder). */
export const CHROMA_PRED_VERTICAL = 2;
/** intra_chroma_pred_mode plane (not used by this encoder). */
export const CHROMA_PRED_PLANE = 3;

// ---- coded_block_pattern ----

/** coded_block_pattern luma bits when every 8×8 luma block has coefficients. */
export const CBP_LUMA_ALL = 15;
/** coded_block_pattern chroma: DC coefficients only. */
export const CBP_CHROMA_DC = 1;
/** coded_block_pattern chroma: DC and AC coefficients. */
export const CBP_CHROMA_DC_AC = 2;
