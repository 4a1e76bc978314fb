// Bundles the test pages' editors that ship as ES modules (Tiptap, and the React ones: Lexical, Slate).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
await esbuild.build({
  entryPoints: {
    tiptap: join(here, "tiptap-entry.js"),
    lexical: join(here, "lexical-entry.jsx"),
    slate: join(here, "slate-entry.jsx"),
  },
  outdir: join(here, "build"),
  bundle: true,
  jsx: "automatic",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
});
