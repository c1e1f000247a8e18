import { dirname } from "node:path";
import { tempPathFor } from "../paths/mod.ts";

/** Write a whole file under a temp name in the same folder, then rename it into place. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * A text file streamed to a temp name and renamed into place only on `commit`, so readers never
 * see a torn line and a killed run leaves the previous complete file untouched.
 */
export class AtomicTextWriter {
  readonly path: string;
  readonly #tmp: string;
  #file: Deno.FsFile | null = null;
  #encoder = new TextEncoder();
  #buffer: string[] = [];
  #buffered = 0;

  constructor(path: string) {
    this.path = path;
    this.#tmp = tempPathFor(path);
  }

  /** Create the temp file (and its folder). */
  async open(): Promise<void> {
    await Deno.mkdir(dirname(this.path), { recursive: true });
    this.#file = await Deno.open(this.#tmp, { write: true, create: true, truncate: true });
  }

  /** Append text (buffered; flushed every 64 KiB and on commit). */
  async write(text: string): Promise<void> {
    this.#buffer.push(text);
    this.#buffered += text.length;
    if (this.#buffered >= 65536) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (!this.#file || this.#buffer.length === 0) return;
    const bytes = this.#encoder.encode(this.#buffer.join(""));
    this.#buffer = [];
    this.#buffered = 0;
    let written = 0;
    while (written < bytes.length) written += await this.#file.write(bytes.subarray(written));
  }

  /** Flush, sync, close and rename into place. */
  async commit(): Promise<void> {
    await this.#flush();
    if (this.#file) {
      await this.#file.sync();
      this.#file.close();
      this.#file = null;
    }
    await Deno.rename(this.#tmp, this.path);
  }

  /** Close and delete the temp file; the final path is left as it was. */
  async abort(): Promise<void> {
    if (this.#file) {
      this.#file.close();
      this.#file = null;
    }
    await Deno.remove(this.#tmp).catch(() => {});
  }
}
