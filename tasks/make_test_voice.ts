/**
 * Writes the test Piper voice `tests/fixtures/piper/test_voice.onnx` (+ `.onnx.json`): an ONNX
 * graph with a real Piper voice's inputs and output, but no weights. Inputs `input` (int64
 * `[1, N]` phoneme ids), `input_lengths` (int64 `[1]`), `scales` (float `[3]`: noise,
 * length, noise_w); output `output` (float `[1, 1, T]`). It "speaks" a quiet 220 Hz tone of
 * `T = ceil(N × length_scale × FRAMES_PER_ID) × HOP` samples, like a VITS decoder emitting
 * `HOP` samples per duration frame, so durations follow the ids and `--rate` as with a voice.
 *
 * Run: `deno run -A tasks/make_test_voice.ts [OUT_DIR] [--weights-mb N]`.
 *
 * @module
 */
import onnxProto from "onnx-proto";
import type { onnx as Onnx } from "onnx-proto";
import { join } from "node:path";

const { onnx } = onnxProto;

/** Duration frames per phoneme id at length_scale 1 (a medium voice averages 2–4). */
export const FRAMES_PER_ID = 3;
/** Samples per frame: the hop length of Piper's medium voices. */
export const HOP = 256;
export const SAMPLE_RATE = 22050;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function floatScalar(name: string, value: number): Onnx.ITensorProto {
  return { name, dataType: FLOAT, dims: [], floatData: [value] };
}

function int64Tensor(name: string, values: number[], dims: number[]): Onnx.ITensorProto {
  return { name, dataType: INT64, dims, int64Data: values };
}

function node(
  opType: string,
  input: string[],
  output: string,
  attribute: Onnx.IAttributeProto[] = [],
): Onnx.INodeProto {
  return { opType, input, output: [output], name: output, attribute };
}

function valueInfo(
  name: string,
  elemType: number,
  shape: (number | string)[],
): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: shape.map((d) => typeof d === "number" ? { dimValue: d } : { dimParam: d }),
        },
      },
    },
  };
}

/**
 * The serialized test model. `weightsMb` adds that many MB of float weights that every run reads
 * (scaled by an input, so the runtime cannot fold them away): a stand-in for a real voice's size
 * when measuring memory (a medium voice is 63 MB).
 */
export function testVoiceModel(options: { weightsMb?: number } = {}): Uint8Array {
  const INT = onnx.AttributeProto.AttributeType.INT;
  const graph: Onnx.IGraphProto = {
    name: "piper_test_voice",
    input: [
      valueInfo("input", INT64, [1, "phonemes"]),
      valueInfo("input_lengths", INT64, [1]),
      valueInfo("scales", FLOAT, [3]),
    ],
    output: [valueInfo("output", FLOAT, [1, 1, "time"])],
    initializer: [
      int64Tensor("one", [1], []),
      floatScalar("frames_per_id", FRAMES_PER_ID),
      floatScalar("hop", HOP),
      floatScalar("zero_f", 0),
      floatScalar("one_f", 1),
      floatScalar("omega", (2 * Math.PI * 220) / SAMPLE_RATE),
      floatScalar("amplitude", 0.25),
      int64Tensor("output_shape", [1, 1, -1], [3]),
    ],
    node: [
      node("Shape", ["input"], "input_shape"),
      node("Gather", ["input_shape", "one"], "ids", [{ name: "axis", type: INT, i: 0 }]),
      node("Cast", ["ids"], "ids_f", [{ name: "to", type: INT, i: FLOAT }]),
      node("Gather", ["scales", "one"], "length_scale", [{ name: "axis", type: INT, i: 0 }]),
      node("Mul", ["ids_f", "length_scale"], "scaled_ids"),
      node("Mul", ["scaled_ids", "frames_per_id"], "frames_f"),
      node("Ceil", ["frames_f"], "frames"),
      node("Mul", ["frames", "hop"], "samples"),
      node("Range", ["zero_f", "samples", "one_f"], "sample_index"),
      node("Mul", ["sample_index", "omega"], "phase"),
      node("Sin", ["phase"], "wave"),
      node("Mul", ["wave", "amplitude"], "quiet_wave"),
      node("Reshape", ["quiet_wave", "output_shape"], "output"),
    ],
  };
  const model: Onnx.IModelProto = {
    irVersion: 7,
    producerName: "videoword tasks/make_test_voice.ts",
    opsetImport: [{ domain: "", version: 13 }],
    graph,
  };
  const weights = Math.round((options.weightsMb ?? 0) * 1024 * 1024 / 4);
  if (weights > 0) {
    // output = wave + 0 × sum(weights × length_scale): same audio, all weights touched per run.
    const last = graph.node!.pop()!;
    graph.initializer!.push(
      { name: "weights", dataType: FLOAT, dims: [weights], rawData: weightBytes(weights) },
      floatScalar("zero_weight", 0),
    );
    graph.node!.push(
      node("Mul", ["weights", "length_scale"], "scaled_weights"),
      node("ReduceSum", ["scaled_weights"], "weight_sum", [{ name: "keepdims", type: INT, i: 0 }]),
      node("Mul", ["weight_sum", "zero_weight"], "no_sound"),
      node("Add", ["quiet_wave", "no_sound"], "weighted_wave"),
      { ...last, input: ["weighted_wave", "output_shape"] },
    );
  }
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** Small pseudo-random floats (deterministic), as raw little-endian bytes. */
function weightBytes(count: number): Uint8Array {
  const values = new Float32Array(count);
  let state = 1;
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    values[i] = (state / 2 ** 32 - 0.5) * 0.01;
  }
  return new Uint8Array(values.buffer);
}

/** Piper's espeak phoneme id map (ids 0–160), the one its espeak voices are trained with. */
const PHONEME_IDS: string[] = [
  "_",
  "^",
  "$",
  " ",
  "!",
  "'",
  "(",
  ")",
  ",",
  "-",
  ".",
  ":",
  ";",
  "?",
  ..."abcdefhijklmnopqrstuvwxyz",
  ..."æçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ",
  ..."0123456789",
  "\u0327",
  "\u0303",
  "\u032a",
  "\u032f",
  "\u0329",
  "ʰ",
  "ˤ",
  "ε",
  "↓",
  "#",
  '"',
  "↑",
  "\u033a",
  "\u033b",
  "g",
  "ʦ",
  "X",
  "\u031d",
  "\u030a",
  "ɝ",
  "ʷ",
];

/** A voice config shaped like en_US-lessac-medium.onnx.json (espeak voice `voice`). */
export function testVoiceConfig(voice = "en-us", code = "en_US"): Record<string, unknown> {
  return {
    dataset: "test",
    audio: { sample_rate: SAMPLE_RATE, quality: "medium" },
    espeak: { voice },
    language: { code },
    inference: { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 },
    phoneme_type: "espeak",
    phoneme_map: {},
    phoneme_id_map: Object.fromEntries(PHONEME_IDS.map((p, id) => [p, [id]])),
    num_symbols: 256,
    num_speakers: 1,
    speaker_id_map: {},
    piper_version: "1.0.0",
  };
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--weights-mb");
  const weightsMb = at >= 0 ? Number(Deno.args[at + 1]) : 0;
  const outDir = Deno.args.find((a, i) =>
    !a.startsWith("--") && i !== at + 1 || at < 0 && i === 0
  ) ??
    join(import.meta.dirname!, "..", "tests", "fixtures", "piper");
  await Deno.mkdir(outDir, { recursive: true });
  const model = testVoiceModel({ weightsMb });
  for (
    const [name, voice, code] of [["en_US-test-medium", "en-us", "en_US"], [
      "zh_CN-test-medium",
      "cmn",
      "zh_CN",
    ]]
  ) {
    await Deno.writeFile(join(outDir, `${name}.onnx`), model);
    await Deno.writeTextFile(
      join(outDir, `${name}.onnx.json`),
      JSON.stringify(testVoiceConfig(voice, code), null, 2) + "\n",
    );
  }
  console.log(`wrote ${model.length}-byte test voices to ${outDir}`);
}
