// Validates every manifest under k8s/ against the Kubernetes OpenAPI schemas that
// kubernetes-models ships, offline. Exits non-zero naming each document that breaks them.
import { readdirSync, readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const manifests = join(dirname(fileURLToPath(import.meta.url)), "..");
const kinds = {
  "v1/Namespace": ["kubernetes-models/v1/Namespace", "Namespace"],
  "v1/ConfigMap": ["kubernetes-models/v1/ConfigMap", "ConfigMap"],
  "v1/Service": ["kubernetes-models/v1/Service", "Service"],
  "v1/Secret": ["kubernetes-models/v1/Secret", "Secret"],
  "apps/v1/Deployment": ["kubernetes-models/apps/v1/Deployment", "Deployment"],
  "apps/v1/DaemonSet": ["kubernetes-models/apps/v1/DaemonSet", "DaemonSet"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-models/policy/v1/PodDisruptionBudget", "PodDisruptionBudget"],
};

let failures = 0;
let checked = 0;
for (const file of readdirSync(manifests).filter((name) => name.endsWith(".yaml")).sort()) {
  for (const document of parseAllDocuments(readFileSync(join(manifests, file), "utf8"))) {
    if (document.errors.length > 0) {
      console.error(`${file}: not YAML: ${document.errors[0].message}`);
      failures++;
      continue;
    }
    const object = document.toJS();
    if (object === null) continue;
    const what = `${file}: ${object.kind}/${object.metadata?.name}`;
    const kind = kinds[`${object.apiVersion}/${object.kind}`];
    if (!kind) {
      console.error(`${what}: no schema known for ${object.apiVersion} ${object.kind}`);
      failures++;
      continue;
    }
    const module = await import(kind[0]);
    try {
      new module[kind[1]](object).validate();
      checked++;
      console.log(`ok   ${what}`);
    } catch (error) {
      console.error(`FAIL ${what}: ${error.message}`);
      failures++;
    }
  }
}
console.log(`${checked} manifests valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
