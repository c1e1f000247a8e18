import { Command } from "@commander-js/extra-typings";

/** `videoword download` (placeholder until its issue lands). */
export function downloadCommand(): Command {
  return new Command("download").description("not yet implemented").action(() => {
    throw new Error("download is not implemented yet");
  });
}
