/** A named colour of the palette: the name a caption uses, the value the painter uses. */
export interface NamedColour {
  name: string;
  hex: string;
}

/** Light colours: backgrounds under dark text, text over dark backgrounds. */
export const LIGHT_COLOURS: readonly NamedColour[] = [
  { name: "white", hex: "#FFFFFF" },
  { name: "cream", hex: "#FFF5D6" },
  { name: "light grey", hex: "#E4E4E4" },
  { name: "pale blue", hex: "#DCEBFA" },
  { name: "pale green", hex: "#DFF2DF" },
  { name: "pale pink", hex: "#FBE3EA" },
  { name: "beige", hex: "#EEE2C8" },
  { name: "light yellow", hex: "#FFF6A6" },
];

/** Dark colours: text on light backgrounds, backgrounds under light text. */
export const DARK_COLOURS: readonly NamedColour[] = [
  { name: "black", hex: "#000000" },
  { name: "charcoal", hex: "#2B2B2B" },
  { name: "dark blue", hex: "#1A2E6E" },
  { name: "navy", hex: "#0B1F3A" },
  { name: "dark green", hex: "#1B4D2B" },
  { name: "dark red", hex: "#7A1111" },
  { name: "brown", hex: "#4A2C12" },
  { name: "purple", hex: "#3D1A5B" },
];

/** `#RRGGBB` → [r, g, b] in 0..255. */
export function parseColour(hex: string): [number, number, number] {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match) throw new Error(`bad colour '${hex}': use #RRGGBB`);
  const n = parseInt(match[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** [r, g, b] → `#RRGGBB`. */
export function formatColour(rgb: readonly number[]): string {
  return "#" + rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("").toUpperCase();
}

/** WCAG 2 relative luminance of an sRGB colour. */
export function relativeLuminance(rgb: readonly number[]): number {
  const [r, g, b] = rgb.map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours (1..21). */
export function contrastRatio(a: readonly number[], b: readonly number[]): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
