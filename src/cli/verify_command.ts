import { Command } from "@commander-js/extra-typings";

/** `videoword verify` (placeholder until its issue lands). */
export function verifyCommand(): Command {
  return new Command("verify").description("not yet implemented").action(() => {
    throw new Error("verify is not implemented yet");
  });
}
