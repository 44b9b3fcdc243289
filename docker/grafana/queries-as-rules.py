#!/usr/bin/env python3
"""Every panel query of the Grafana dashboards as a Prometheus recording rule, for promtool.

promtool checks the alert rules' PromQL, but nothing checks the dashboards' queries: a typo there
shows as an empty panel with an error only when someone opens it. This prints a rules file (JSON,
which is YAML) with one recording rule per panel query, Grafana's variables replaced as Grafana
would ($instance by an all-matching regex, $__rate_interval and $__range by durations), so that
`promtool check rules` parses every query. .ci/check-deploy runs it:

    python3 docker/grafana/queries-as-rules.py > /tmp/q.json && promtool check rules /tmp/q.json

Metric names are checked elsewhere, against a real /metrics (ServiceEntryPointIT).
"""
import glob
import json
import os
import re

GRAFANA_VARIABLES = {"$__rate_interval": "1m", "$__range": "1h", "$instance": ".*"}


def panels(items):
    for panel in items:
        yield panel
        yield from panels(panel.get("panels", []))  # a collapsed row holds its panels


def rules():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in sorted(glob.glob(os.path.join(here, "dashboards", "*.json"))):
        dashboard = json.load(open(path, encoding="utf-8"))
        for panel in panels(dashboard["panels"]):
            for target in panel.get("targets", []):
                if "expr" not in target:
                    continue
                expr = target["expr"]
                for variable, value in GRAFANA_VARIABLES.items():
                    expr = expr.replace(variable, value)
                name = re.sub(r"[^a-zA-Z0-9_]", "_", f"{os.path.basename(path)}:{panel['title']}:{target.get('refId', '')}")
                yield {"record": "dashboard:" + name, "expr": expr,
                       "labels": {"dashboard_file": os.path.basename(path)}}


print(json.dumps({"groups": [{"name": "grafana-dashboard-queries", "rules": list(rules())}]}, indent=1))
