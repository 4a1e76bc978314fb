// Builds dist/chrome and dist/firefox from src/: one source, two manifests.
// Chrome runs the background as a service worker; Firefox as background scripts, with its gecko id.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

for (const [browser, manifest] of Object.entries(targets)) {
  const out = join(root, "dist", browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(join(root, "src"), out, { recursive: true });
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  console.log(`built ${out}`);
}
