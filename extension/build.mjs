// Builds dist/chrome and dist/firefox from src/: one source, two manifests.
// Three bundles, each from ES modules with esbuild: the background (the only part that talks to the
// server), the content script (registered only on the sites the options list, or injected on demand) and
// the options page. Chrome runs the background as a service worker; Firefox as a background script.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = dirname(fileURLToPath(import.meta.url));
const base = JSON.parse(readFileSync(join(root, "src", "manifest.json"), "utf8"));

const targets = {
  chrome: { ...base, background: { service_worker: "background.js" } },
  firefox: {
    ...base,
    background: { scripts: ["background.js"] },
    browser_specific_settings: {
      gecko: {
        id: "kindreply@kindreply.example",
        strict_min_version: "142.0", // data_collection_permissions (140; 142 on Android)
        // drafts (page content) go to the kindreply server the user configures, and nowhere else
        data_collection_permissions: { required: ["websiteContent"] },
      },
      gecko_android: { strict_min_version: "142.0" },
    },
  },
};

const bundles = {
  "background.js": "src/background/index.js",
  "content.js": "src/content/index.js",
  "options/options.js": "src/options/options.js",
};
const statics = ["icon.png", "options/options.html"];

for (const [browser, manifest] of Object.entries(targets)) {
  const out = join(root, "dist", browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "options"), { recursive: true });
  for (const [output, entry] of Object.entries(bundles)) {
    await esbuild.build({
      entryPoints: [join(root, entry)],
      outfile: join(out, output),
      bundle: true,
      format: "iife", // classic scripts: a content script and a service worker without "type": "module"
      target: ["chrome120", "firefox128"],
      legalComments: "none",
      logLevel: "warning",
    });
  }
  for (const file of statics) cpSync(join(root, "src", file), join(out, file));
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  console.log(`built ${out}`);
}
