// Validates rendered Kubernetes manifests offline, against the Kubernetes API schemas.
//
//   kubectl kustomize k8s/overlays/production | node k8s/validate/validate.mjs
//   node k8s/validate/validate.mjs rendered.yaml
//
// Each document is checked by the model class of its apiVersion and kind from kubernetes-models (the
// Kubernetes OpenAPI definitions compiled to validators: types, required fields, enums, formats) and
// @kubernetes-models/prometheus-operator (PodMonitor, ServiceMonitor). An apiVersion or kind they do
// not know is an error, not skipped.
//
// Those validators accept properties the schema does not define, as the OpenAPI definitions do; the
// API server would drop such a field (or refuse it with strict field validation), so a misspelt
// optional field (readinessprobe) would silently do nothing. So this script also reports unknown
// fields: it hands the validator proxies that record which property names it looks up. A validator
// looks up every property its schema defines, present or not, and every key of a map; a key of an
// object that the validator inspected but never looked up is not in the schema. Objects the validator
// does not look into at all (free-form ones) are left alone.
//
// Exit status 0 when every document is valid, 1 otherwise (each problem on one line).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

/** The model modules by apiVersion; an apiVersion outside them is reported as unknown. */
const MODULES = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "batch/v1": "kubernetes-models/batch/v1",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

/** Problems of one parsed document (a plain object); an empty list when it is valid. */
export async function validateDocument(doc) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return ["not an object"];
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["apiVersion and kind are required strings"];
  const modulePath = MODULES[apiVersion];
  if (!modulePath) return [`unknown apiVersion ${apiVersion} (kind ${kind})`];
  const module = await import(modulePath);
  const model = module[kind];
  if (typeof model !== "function" || model.kind !== kind || model.apiVersion !== apiVersion) {
    return [`unknown kind ${kind} in ${apiVersion}`];
  }
  const problems = [];
  const tracker = new Tracker();
  try {
    model.prototype.validate.call(tracker.wrap(doc, ""));
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    for (const err of e.errors) problems.push(`${err.instancePath || "/"}: ${err.message}`);
  }
  for (const path of tracker.unknownFields()) problems.push(`${path}: unknown field (not in the ${kind} schema)`);
  return problems;
}

/** Wraps objects in proxies that record the property names read from each. */
class Tracker {
  constructor() {
    this.seen = new Map(); // target object -> { path, names: Set }
    this.proxies = new WeakMap();
  }

  wrap(value, path) {
    if (value === null || typeof value !== "object") return value;
    if (this.proxies.has(value)) return this.proxies.get(value);
    const isArray = Array.isArray(value);
    const entry = { path, names: new Set() };
    if (!isArray) this.seen.set(value, entry);
    const tracker = this;
    const proxy = new Proxy(value, {
      get(target, name, receiver) {
        const v = Reflect.get(target, name, receiver);
        if (typeof name !== "string") return v;
        if (!isArray) entry.names.add(name);
        if (isArray && !/^\d+$/.test(name)) return v;
        return Object.hasOwn(target, name) ? tracker.wrap(v, `${path}/${name}`) : v;
      },
      has(target, name) {
        if (!isArray && typeof name === "string") entry.names.add(name);
        return Reflect.has(target, name);
      },
    });
    this.proxies.set(value, proxy);
    return proxy;
  }

  /** Paths of keys never looked up in objects whose other properties were. */
  unknownFields() {
    const out = [];
    for (const [target, { path, names }] of this.seen) {
      if (names.size === 0) continue; // free-form, or never reached (inside an invalid parent)
      for (const key of Object.keys(target)) {
        if (!names.has(key)) out.push(`${path}/${key}`);
      }
    }
    return out.sort();
  }
}

/**
 * kustomize folds long base64 values of a Secret's data (and a ConfigMap's binaryData) into lines; the
 * API server's decoder (Go's encoding/base64) skips line breaks, the schema's "byte" format does not.
 */
function unwrapBase64(doc) {
  for (const field of ["data", "binaryData"]) {
    const map = (doc.kind === "Secret" && field === "data") || (doc.kind === "ConfigMap" && field === "binaryData") ? doc[field] : null;
    if (map === null || typeof map !== "object") continue;
    for (const [k, v] of Object.entries(map)) if (typeof v === "string") map[k] = v.replace(/[\r\n]/g, "");
  }
}

/** Problems of every document of a multi-document YAML text, each prefixed with the document's name. */
export async function validateText(text) {
  const problems = [];
  const docs = parseAllDocuments(text);
  let count = 0;
  for (const [i, d] of docs.entries()) {
    if (d.errors.length > 0) {
      problems.push(`document ${i + 1}: YAML: ${d.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const doc = d.toJS();
    if (doc === null) continue; // an empty document (a trailing ---)
    unwrapBase64(doc);
    count++;
    const name = `${doc?.kind ?? "?"}/${doc?.metadata?.name ?? "?"}`;
    for (const p of await validateDocument(doc)) problems.push(`${name}: ${p}`);
  }
  if (count === 0) problems.push("no documents to validate");
  return { count, problems };
}

async function main() {
  const file = process.argv[2];
  const text = file && file !== "-" ? readFileSync(file, "utf8") : readFileSync(0, "utf8");
  const { count, problems } = await validateText(text);
  for (const p of problems) console.error(`invalid: ${p}`);
  if (problems.length > 0) {
    console.error(`${problems.length} problem(s) in ${count} document(s)`);
    process.exit(1);
  }
  console.log(`${count} documents valid against the Kubernetes schemas (kubernetes-models, prometheus-operator models)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
