import { Command } from "@commander-js/extra-typings";

/** `videoword render` (placeholder until its issue lands). */
export function renderCommand(): Command {
  return new Command("render").description("not yet implemented").action(() => {
    throw new Error("render is not implemented yet");
  });
}
