import { Command } from "@commander-js/extra-typings";

/** `videoword submit` (placeholder until its issue lands). */
export function submitCommand(): Command {
  return new Command("submit").description("not yet implemented").action(() => {
    throw new Error("submit is not implemented yet");
  });
}
