// The validator must catch what it is there to catch: run by check.sh with node's test runner, on the
// production overlay as kubectl renders it, each case breaking one thing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { validateText } from "./validate.mjs";

const overlay = fileURLToPath(new URL("../overlays/production", import.meta.url));
const rendered = execFileSync("kubectl", ["kustomize", overlay], { encoding: "utf8" });

async function problems(text) {
  return (await validateText(text)).problems;
}

function replaceOnce(text, from, to) {
  assert.ok(text.includes(from), `the rendered overlay contains ${from}`);
  return text.replace(from, to);
}

test("the production overlay as rendered is valid", async () => {
  assert.deepEqual(await problems(rendered), []);
});

test("a misspelt required field: containerPort as containerport", async () => {
  const p = await problems(replaceOnce(rendered, "containerPort: 8080", "containerport: 8080"));
  assert.ok(p.some((x) => x.includes("must have required property containerPort")), p.join("\n"));
  assert.ok(p.some((x) => x.endsWith("/ports/0/containerport: unknown field (not in the StatefulSet schema)")), p.join("\n"));
});

test("a misspelt optional field, which only the unknown-field check can see: readinessprobe", async () => {
  const p = await problems(replaceOnce(rendered, "readinessProbe:", "readinessprobe:"));
  assert.deepEqual(p, ["StatefulSet/segmenter: /spec/template/spec/containers/0/readinessprobe: unknown field (not in the StatefulSet schema)"]);
});

test("a value of the wrong type: replicas as a string", async () => {
  const p = await problems(replaceOnce(rendered, "replicas: 3", 'replicas: "3"'));
  assert.deepEqual(p, ["StatefulSet/segmenter: /spec/replicas: must be integer"]);
});

test("a value outside an enum: protocol TPC", async () => {
  const p = await problems(replaceOnce(rendered, "protocol: TCP", "protocol: TPC"));
  assert.ok(p.length >= 1 && p.every((x) => x.includes("must be equal to one of the allowed values")), p.join("\n"));
});

test("an unknown kind and an unknown apiVersion", async () => {
  assert.deepEqual(await problems(replaceOnce(rendered, "kind: PodDisruptionBudget", "kind: PodDisruptionBudgett")),
    ["PodDisruptionBudgett/segmenter: unknown kind PodDisruptionBudgett in policy/v1"]);
  assert.deepEqual(await problems(replaceOnce(rendered, "apiVersion: policy/v1", "apiVersion: policy/v1beta1")),
    ["PodDisruptionBudget/segmenter: unknown apiVersion policy/v1beta1 (kind PodDisruptionBudget)"]);
});

test("an unknown field in the PodMonitor (a CRD's model)", async () => {
  const p = await problems(replaceOnce(rendered, "path: /metrics", "pathh: /metrics"));
  assert.deepEqual(p, ["PodMonitor/segmenter: /spec/podMetricsEndpoints/0/pathh: unknown field (not in the PodMonitor schema)"]);
});

test("maps keep any key: labels, ConfigMap data", async () => {
  const p = await problems(replaceOnce(rendered, "app.kubernetes.io/part-of: segmenter", "any.example/label: segmenter"));
  assert.deepEqual(p, []);
});
