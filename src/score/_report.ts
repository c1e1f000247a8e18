/**
 * `score --report FILE.html`: one self-contained page (inline CSS, frames as PNG data: URIs, the
 * CER histogram as inline SVG) that opens offline from a file.
 */
import { Buffer } from "node:buffer";
import { basename } from "node:path";
import { writeFileAtomic } from "../atomic_write/mod.ts";
import { alignText, normalizeText } from "./_text.ts";
import { extractFrames, type OcrTools } from "./_ocr.ts";
import type { PageScore, ScoreSummary, VideoScore } from "./_score.ts";
import { runLabel, type ScoreTotal, totalOf } from "./_runs.ts";

/** Options of {@link writeReport}. */
export interface ReportOptions {
  tools: OcrTools;
  /**
   * Worst videos of each run shown with their frame, expected and read text.
   * @default {8}
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
.run{margin-top:2.5rem;border-top:2px solid #d5d9e0}.run h3{font-size:1rem;margin:1.2rem 0 .4rem}
table.run-summary{width:auto;min-width:50%}table.run-summary th{text-align:left;background:#fff;font-weight:500}
tr.total-row td{border-top:2px solid #c5cad3}
a{color:#2e56a6}
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

/** One run as the report shows it: its summary, its scores and its worst videos. */
export interface ReportRun {
  summary: ScoreSummary;
  scores: readonly VideoScore[];
  /** The videos shown as cards, worst first. */
  worst: readonly VideoScore[];
}

const PART_NAMES: Record<PageScore["part"], string> = {
  page: "pages",
  prompt: "prompt pages",
  subtitle: "subtitle cues",
};

/** The `q` quantile of sorted `xs` (nearest rank); null when empty. */
function quantile(xs: readonly number[], q: number): number | null {
  return xs.length === 0 ? null : xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
}

function frameKey(video: string, frame: number): string {
  return `${video}#${frame}`;
}

/** One run's summary table: metric rows, then one row per part read (pages, prompt, cues). */
function runTable(run: ReportRun): string {
  const { summary, scores } = run;
  const scored = scores.filter((s) => s.problem === null);
  const cers = scored.map((s) => s.cer!).sort((a, b) => a - b);
  const answered = scored.filter((s) => s.answer_correct !== null);
  const right = answered.filter((s) => s.answer_correct).length;
  const row = (name: string, value: string, cls = "") =>
    `<tr><th scope="row">${name}</th><td${cls ? ` class="${cls}"` : ""}>${value}</td></tr>`;
  const rows = [
    row(
      "Videos scored",
      `${summary.samples}` +
        (summary.reused > 0
          ? ` (${summary.reused} kept from an earlier read: an earlier run, or the other mode's)`
          : "") +
        (summary.problems.length > 0 ? `, ${summary.problems.length} not readable` : ""),
    ),
    row("CER", pct(summary.cer)),
    row(
      "CER per video: median · 90th percentile · worst",
      `${pct(quantile(cers, 0.5))} · ${pct(quantile(cers, 0.9))} · ${pct(cers.at(-1) ?? null)}`,
    ),
    row("Exact lines", pct(summary.exact_line_accuracy)),
    row(
      "Answers",
      summary.answer_accuracy === null
        ? "–"
        : `${pct(summary.answer_accuracy)} (${right} of ${answered.length})`,
    ),
    row(
      `Flagged (CER &gt; ${pct(summary.flag_cer)})`,
      String(summary.flagged.length),
      summary.flagged.length ? "bad" : "ok",
    ),
  ];
  const parts = new Map<PageScore["part"], { reads: number; edits: number; chars: number }>();
  for (const page of scored.flatMap((s) => s.pages)) {
    const part = parts.get(page.part) ?? { reads: 0, edits: 0, chars: 0 };
    part.reads++;
    part.edits += page.edits;
    part.chars += page.chars;
    parts.set(page.part, part);
  }
  for (const [part, { reads, edits, chars }] of parts) {
    rows.push(
      row(`CER on ${PART_NAMES[part]}`, `${pct(chars ? edits / chars : null)} (${reads} read)`),
    );
  }
  return `<table class="run-summary"><tbody>${rows.join("")}</tbody></table>`;
}

function card(s: VideoScore, frames: ReadonlyMap<string, Uint8Array>): string {
  const page = worstPage(s);
  const png = page ? frames.get(frameKey(s.video, page.frame)) : undefined;
  const diff = page ? markedDiff(page.expected.join("\n"), page.read, s.language ?? "en") : null;
  const part = page && page.part !== "page" ? ` · ${PART_NAMES[page.part].slice(0, -1)}` : "";
  return `<section class="card worst-video" id="${escapeHtml(`${s.mode}-${s.key}`)}"><h3>${
    escapeHtml(s.key)
  } · CER ${pct(s.cer)}${part}${s.flagged ? ' · <span class="bad">flagged</span>' : ""}${
    s.answer_correct === false
      ? ` · answer read ${escapeHtml(s.answer_read ?? "none")}, expected ${
        escapeHtml(s.answer_expected ?? "")
      }`
      : ""
  }</h3><div>${
    png
      ? `<img alt="frame ${page?.frame ?? ""} of ${escapeHtml(s.key)}" src="data:image/png;base64,${
        Buffer.from(png).toString("base64")
      }">`
      : `<p>${escapeHtml(s.problem ?? "no frame")}</p>`
  }</div><div><b>Expected</b><div class="text expected">${
    diff?.expected ?? ""
  }</div><b>OCR read</b><div class="text read">${diff?.read ?? ""}</div></div></section>`;
}

/**
 * The report's HTML for scored runs (pure; frames given as PNG bytes by
 * `video#frame`): an overview row per run (and their total), the CER histogram of every video,
 * then per dataset and mode a summary table, its histogram and its worst videos.
 */
export function reportHtml(
  runs: readonly ReportRun[],
  frames: ReadonlyMap<string, Uint8Array>,
): string {
  const overviewRow = (summary: ScoreSummary | ScoreTotal, name: string, cls: string) =>
    `<tr class="${cls}"><td>${name}</td>` +
    `<td>${"mode" in summary ? summary.mode : ""}</td>` +
    `<td>${"source" in summary ? summary.source : ""}</td><td>${summary.samples}</td>` +
    `<td>${pct(summary.cer)}</td><td>${pct(summary.exact_line_accuracy)}</td>` +
    `<td>${pct(summary.answer_accuracy)}</td>` +
    `<td class="${summary.flagged.length ? "bad" : "ok"}">${summary.flagged.length}</td></tr>`;
  const rows = runs.map(({ summary }, i) =>
    overviewRow(
      summary,
      `<a href="#run-${i + 1}">${escapeHtml(summary.dataset_dir)}</a>`,
      "summary-row",
    )
  ).join("") +
    (runs.length > 1
      ? overviewRow(
        totalOf(runs, runs[0].summary.flag_cer),
        `<b>Total (${runs.length} runs)</b>`,
        "total-row",
      )
      : "");
  const cersOf = (scores: readonly VideoScore[]) =>
    scores.filter((s) => s.cer !== null).map((s) => s.cer!);
  const sections = runs.map((run, i) =>
    `<section class="run" id="run-${i + 1}" data-dataset="${
      escapeHtml(basename(run.summary.dataset_dir))
    }" data-mode="${run.summary.mode}"><h2>${escapeHtml(runLabel(run.summary))}</h2>` +
    `<p class="sub">${escapeHtml(run.summary.dataset_dir)}</p>${runTable(run)}` +
    `<h3>CER per video</h3>${histogramSvg(cersOf(run.scores))}` +
    (run.worst.length > 0
      ? `<h3>Worst videos</h3>${run.worst.map((s) => card(s, frames)).join("")}`
      : "") +
    `</section>`
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>videoword score report</title>` +
    `<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head><body>` +
    `<h1>videoword score</h1><p class="sub">OCR (tesseract) of the videos against their manifest lines. ` +
    `CER: edit distance over expected characters, whitespace normalised, Chinese per character. ` +
    `<del>struck red</del>: expected but not read; <ins>green</ins>: read but not expected.</p>` +
    `<h2>Summary</h2><table class="summary"><thead><tr><th>Dataset</th><th>Mode</th><th>Source</th>` +
    `<th>Samples</th><th>CER</th><th>Exact lines</th><th>Answers</th><th>Flagged</th></tr></thead>` +
    `<tbody>${rows}</tbody></table><h2>CER per video</h2>${
      histogramSvg(cersOf(runs.flatMap((r) => r.scores)))
    }${sections}</body></html>\n`;
}

function worstPage(score: VideoScore): PageScore | undefined {
  return [...score.pages].sort((a, b) => b.edits / (b.chars || 1) - a.edits / (a.chars || 1))[0];
}

/**
 * Write the report of `runs` to `path` (atomically), extracting the frames of each run's worst
 * videos.
 */
export async function writeReport(
  path: string,
  runs: readonly { summary: ScoreSummary; scores: readonly VideoScore[] }[],
  options: ReportOptions,
): Promise<void> {
  const shown: ReportRun[] = runs.map((run) => ({
    ...run,
    worst: [...run.scores].sort((a, b) => (b.cer ?? 2) - (a.cer ?? 2)).slice(
      0,
      options.worst ?? 8,
    ),
  }));
  const frames = new Map<string, Uint8Array>();
  for (const score of shown.flatMap((r) => r.worst)) {
    const page = worstPage(score);
    if (!page || frames.has(frameKey(score.video, page.frame))) continue;
    try {
      const [png] = await extractFrames(score.video, [page.frame], options.tools);
      frames.set(frameKey(score.video, page.frame), png);
    } catch {
      // The card says the frame is missing; the rest of the report stands.
    }
  }
  await writeFileAtomic(path, reportHtml(shown, frames));
}
