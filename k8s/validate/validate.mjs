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
  "apps/v1/StatefulSet": ["kubernetes-models/apps/v1/StatefulSet", "StatefulSet"],
  "batch/v1/Job": ["kubernetes-models/batch/v1/Job", "Job"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-models/policy/v1/PodDisruptionBudget", "PodDisruptionBudget"],
};

// Custom resources have no schema in kubernetes-models: their fields that these manifests use
// are checked here against the operator's documented spec, and anything else is refused.
const customResources = {
  "rabbitmq.com/v1beta1/RabbitmqCluster": (object) => {
    const problems = [];
    const spec = object.spec ?? {};
    const known = ["replicas", "image", "persistence", "resources", "affinity", "rabbitmq", "service", "tolerations", "override", "tls", "terminationGracePeriodSeconds"];
    for (const key of Object.keys(spec)) if (!known.includes(key)) problems.push(`unknown spec.${key}`);
    if (!Number.isInteger(spec.replicas) || spec.replicas < 1) problems.push("spec.replicas must be a positive integer");
    if (spec.replicas % 2 === 0) problems.push("spec.replicas should be odd, so quorum queues keep a majority");
    if (spec.persistence && typeof spec.persistence.storage !== "string") problems.push("spec.persistence.storage must be a quantity");
    for (const key of Object.keys(spec.rabbitmq ?? {})) {
      if (!["additionalConfig", "advancedConfig", "envConfig", "additionalPlugins"].includes(key)) problems.push(`unknown spec.rabbitmq.${key}`);
    }
    if (!object.metadata?.name || !object.metadata?.namespace) problems.push("metadata.name and metadata.namespace are required");
    return problems;
  },
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
    const custom = customResources[`${object.apiVersion}/${object.kind}`];
    if (custom) {
      const problems = custom(object);
      if (problems.length > 0) {
        console.error(`FAIL ${what}: ${problems.join("; ")}`);
        failures++;
      } else {
        checked++;
        console.log(`ok   ${what}`);
      }
      continue;
    }
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
