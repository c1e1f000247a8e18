/**
 * Every use of msedge-tts internals, in one place. The library has no option for the service URL
 * (tests point it at a loopback server) and hides the socket that a clean shutdown and a guarded
 * message handler need, so this file overwrites the static `WSS_URL` and reads the private `_ws`.
 * Both are checked against the exact version pinned in deno.json; `tests/msedge_adapter_test.ts`
 * fails loudly, naming what changed, when an upgrade moves them.
 */
import { MsEdgeTTS } from "msedge-tts";

/** The msedge-tts version these internals were read from (deno.json pins exactly this). */
export const MSEDGE_TTS_VERSION = "2.0.7";

/** The parts of the `ws` socket inside msedge-tts that a clean shutdown needs. */
export interface WsHandle {
  readyState: number;
  onmessage: unknown;
  close(): void;
  terminate?(): void;
  once?(event: "close", listener: () => void): void;
}

/** msedge-tts builds its URL from this static; it is private in the typings only. */
type EdgeStatics = { WSS_URL: string };

/** The real service's endpoint, as msedge-tts has it. */
export const DEFAULT_WSS_URL: string = (MsEdgeTTS as unknown as EdgeStatics).WSS_URL;

/** A new client that connects to `url` (the static is read when the client connects). */
export function edgeClient(url: string): MsEdgeTTS {
  (MsEdgeTTS as unknown as EdgeStatics).WSS_URL = url;
  return new MsEdgeTTS();
}

/** The client's socket, or undefined before it has connected. */
export function socketOf(tts: MsEdgeTTS): WsHandle | undefined {
  return (tts as unknown as { _ws?: WsHandle })._ws;
}

/**
 * What no longer matches the internals this adapter relies on (empty when all is well):
 * the static URL, and, for a connected client, the socket's shape.
 */
export function internalsProblems(connected?: MsEdgeTTS): string[] {
  const problems: string[] = [];
  const url = (MsEdgeTTS as unknown as Partial<EdgeStatics>).WSS_URL;
  if (typeof url !== "string" || !/^wss?:\/\//.test(url)) {
    problems.push(`MsEdgeTTS.WSS_URL is ${JSON.stringify(url)}, not a ws(s) URL`);
  }
  if (connected) {
    const ws = socketOf(connected) as Partial<WsHandle> | undefined;
    if (!ws) problems.push("a connected MsEdgeTTS has no _ws socket");
    else {
      if (typeof ws.readyState !== "number") problems.push("_ws.readyState is not a number");
      if (typeof ws.onmessage !== "function") problems.push("_ws.onmessage is not a function");
      if (typeof ws.close !== "function") problems.push("_ws.close is not a function");
      if (typeof ws.once !== "function") {
        problems.push("_ws.once is not a function (not a ws socket)");
      }
    }
  }
  return problems.map((p) =>
    `msedge-tts internals changed (read from ${MSEDGE_TTS_VERSION}): ${p}`
  );
}
