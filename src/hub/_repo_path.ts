import { isAbsolute, relative, resolve } from "node:path";

/**
 * Why a Hub repo path may not be written under a local folder, or null if it is safe:
 * no `..`/`.`/empty segments, no backslashes, no absolute or drive paths, no NUL bytes.
 */
export function unsafeRepoPathReason(path: string): string | null {
  if (path.length === 0) return "empty path";
  if (path.includes("\\")) return "contains a backslash";
  if (path.includes("\0")) return "contains a NUL byte";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "is absolute";
  for (const segment of path.split("/")) {
    if (segment === "..") return "contains '..'";
    if (segment === "." || segment === "") return "contains an empty or '.' segment";
  }
  return null;
}

/** `root/path` for a Hub repo path, refusing any path that would escape `root`. */
export function localRepoPath(root: string, path: string): string {
  const reason = unsafeRepoPathReason(path);
  if (reason) {
    throw new Error(`refusing unsafe path from the Hub (${reason}): ${JSON.stringify(path)}`);
  }
  const target = resolve(root, path);
  const rel = relative(resolve(root), target);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    throw new Error(`refusing path outside the data directory: ${JSON.stringify(path)}`);
  }
  return target;
}
