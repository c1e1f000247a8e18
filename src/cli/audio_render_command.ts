import { Command } from "@commander-js/extra-typings";

/** `videoword audio-render` (placeholder until its issue lands). */
export function audioRenderCommand(): Command {
  return new Command("audio-render").description("not yet implemented").action(() => {
    throw new Error("audio-render is not implemented yet");
  });
}
