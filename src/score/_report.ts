/**
 * `score --report FILE.html`: one self-contained page (inline CSS, frames as PNG data: URIs, the
 * CER histogram as inline SVG) that opens offline from a file.
 */
import { Buffer } from "node:buffer";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { alignText, normalizeText } from "./_text.ts";
import { extractFrames, type OcrTools } from "./_ocr.ts";
import type { ScoreSummary, VideoScore } from "./_score.ts";

/** Options of {@link writeReport}. */
export interface ReportOptions {
  tools: OcrTools;
  /**
   * Worst videos shown with their frame, expected and read text.
   * @default {12}
   */
  worst?: number;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;
color:#1d2330;background:#f7f8fa;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
.sub{color:#5b6475;margin-top:0}
table{border-collapse:collapse;background:#fff;box-shadow:0 1px 3px #0002;width:100%}
th,td{padding:.45rem .7rem;text-align:right;border-bottom:1px solid #e6e8ec}
th:first-child,td:first-child{text-align:left}th{background:#eef1f6;font-weight:600}
.ok{color:#17803d}.bad{color:#c0262d;font-weight:600}
.card{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:1rem;background:#fff;
box-shadow:0 1px 3px #0002;margin:1rem 0;padding:1rem;border-radius:6px}
.card img{width:100%;border:1px solid #d5d9e0;image-rendering:auto}
.card h3{grid-column:1/3;margin:0;font-size:1rem}
.text{font-family:ui-monospace,"DejaVu Sans Mono",monospace;white-space:pre-wrap;font-size:.85rem;
background:#f3f5f8;padding:.5rem;border-radius:4px;margin:.3rem 0 .8rem}
del{background:#ffd7d5;color:#8a1118;text-decoration:line-through}
ins{background:#cdf5d3;color:#0d5b22;text-decoration:none}
.hist rect{fill:#4a72c4}.hist text{font-size:11px;fill:#333}
`;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function pct(x: number | null): string {
  return x === null ? "–" : `${(x * 100).toFixed(2)}%`;
}

/** The expected and read text with their differences marked (`<del>` missing, `<ins>` extra). */
export function markedDiff(
  expected: string,
  read: string,
  language: "en" | "zh" = "en",
): { expected: string; read: string } {
  // Line breaks kept (one per line) so the text reads like the frame.
  const norm = (text: string) =>
    text.split("\n").map((l) => normalizeText(l, language)).filter((l) => l !== "").join("\n");
  const { ops } = alignText(norm(expected), norm(read));
  let e = "";
  let r = "";
  for (const op of ops) {
    if (op.op === "same") {
      e += escapeHtml(op.expected);
      r += escapeHtml(op.read);
    } else {
      if (op.expected) e += `<del>${escapeHtml(op.expected)}</del>`;
      if (op.read) r += `<ins>${escapeHtml(op.read)}</ins>`;
    }
  }
  return { expected: e, read: r };
}

/** The CER histogram as inline SVG: 10 bins of 0–5%, …, then one of ≥ 50%. */
export function histogramSvg(cers: readonly number[]): string {
  const edges = [0, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5, Infinity];
  const labels = ["<0.5%", "<1%", "<2%", "<3%", "<5%", "<10%", "<20%", "<50%", "≥50%"];
  const counts = labels.map((_, i) => cers.filter((c) => c >= edges[i] && c < edges[i + 1]).length);
  const max = Math.max(1, ...counts);
  const w = 64;
  const h = 160;
  const bars = counts.map((n, i) => {
    const bh = Math.round((n / max) * h);
    const x = 10 + i * w;
    return `<rect x="${x}" y="${20 + h - bh}" width="${w - 10}" height="${bh}"><title>${
      labels[i]
    }: ${n}</title></rect><text x="${x + (w - 10) / 2}" y="${
      14 + h - bh
    }" text-anchor="middle">${n}</text>` +
      `<text x="${x + (w - 10) / 2}" y="${h + 36}" text-anchor="middle">${
        escapeHtml(labels[i])
      }</text>`;
  }).join("");
  return `<svg class="hist" xmlns="http://www.w3.org/2000/svg" width="${
    20 + labels.length * w
  }" height="${h + 50}" role="img" aria-label="CER histogram">${bars}</svg>`;
}

/**
 * The report's HTML for scored datasets (pure; frames given as PNG bytes by video key).
 */
export function reportHtml(
  runs: readonly { summary: ScoreSummary; scores: readonly VideoScore[] }[],
  frames: ReadonlyMap<string, Uint8Array>,
  worst: readonly VideoScore[],
): string {
  const rows = runs.map(({ summary }) =>
    `<tr class="summary-row"><td>${escapeHtml(summary.dataset_dir)}</td><td>${summary.mode}</td>` +
    `<td>${summary.source}</td><td>${summary.samples}</td><td>${pct(summary.cer)}</td>` +
    `<td>${pct(summary.exact_line_accuracy)}</td><td>${pct(summary.answer_accuracy)}</td>` +
    `<td class="${summary.flagged.length ? "bad" : "ok"}">${summary.flagged.length}</td></tr>`
  ).join("");
  const cers = runs.flatMap((r) => r.scores).filter((s) => s.cer !== null).map((s) => s.cer!);
  const cards = worst.map((s) => {
    const page = worstPage(s);
    const png = frames.get(s.key);
    const diff = page ? markedDiff(page.expected.join("\n"), page.read, s.language ?? "en") : null;
    return `<section class="card worst-video" id="${escapeHtml(s.key)}"><h3>${
      escapeHtml(s.key)
    } · CER ${pct(s.cer)}${s.flagged ? ' · <span class="bad">flagged</span>' : ""}${
      s.answer_correct === false
        ? ` · answer read ${escapeHtml(s.answer_read ?? "none")}, expected ${
          escapeHtml(s.answer_expected ?? "")
        }`
        : ""
    }</h3><div>${
      png
        ? `<img alt="frame ${page?.frame ?? ""} of ${
          escapeHtml(s.key)
        }" src="data:image/png;base64,${Buffer.from(png).toString("base64")}">`
        : `<p>${escapeHtml(s.problem ?? "no frame")}</p>`
    }</div><div><b>Expected</b><div class="text expected">${
      diff?.expected ?? ""
    }</div><b>OCR read</b><div class="text read">${diff?.read ?? ""}</div></div></section>`;
  }).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>videoword score report</title>` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head><body>` +
    `<h1>videoword score</h1><p class="sub">OCR (tesseract) of the videos against their manifest lines. ` +
    `CER: edit distance over expected characters, whitespace normalised, Chinese per character.</p>` +
    `<h2>Summary</h2><table class="summary"><thead><tr><th>Dataset</th><th>Mode</th><th>Source</th>` +
    `<th>Samples</th><th>CER</th><th>Exact lines</th><th>Answers</th><th>Flagged</th></tr></thead>` +
    `<tbody>${rows}</tbody></table><h2>CER per video</h2>${histogramSvg(cers)}` +
    `<h2>Worst videos</h2><p class="sub"><del>struck red</del>: expected but not read; ` +
    `<ins>green</ins>: read but not expected.</p>${cards}</body></html>\n`;
}

function worstPage(score: VideoScore): VideoScore["pages"][number] | undefined {
  return [...score.pages].sort((a, b) => b.edits / (b.chars || 1) - a.edits / (a.chars || 1))[0];
}

/** Write the report of `runs` to `path` (atomically), extracting the worst videos' frames. */
export async function writeReport(
  path: string,
  runs: readonly { summary: ScoreSummary; scores: readonly VideoScore[] }[],
  options: ReportOptions,
): Promise<void> {
  const all = runs.flatMap((r) => r.scores);
  const worst = [...all].sort((a, b) => (b.cer ?? 2) - (a.cer ?? 2)).slice(0, options.worst ?? 12);
  const frames = new Map<string, Uint8Array>();
  for (const score of worst) {
    const page = worstPage(score);
    if (!page) continue;
    try {
      const [png] = await extractFrames(score.video, [page.frame], options.tools);
      frames.set(score.key, png);
    } catch {
      // The card says the frame is missing; the rest of the report stands.
    }
  }
  await writeFileAtomic(path, reportHtml(runs, frames, worst));
}
