"""Routing (design §4): critical alerts page on-call and go to Slack; warnings go to Slack only;
SpreadOutOfBand warnings are muted in the low-liquidity window (alerting.mute_timings in dashgen.yaml)."""

from dashgen.dsl.routing import contact_point, route, routing, template

LOW_LIQUIDITY = "low-liquidity"  # the window, under alerting.mute_timings in dashgen.yaml

MESSAGE = """\
{{ define "dashgen.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alert }} {{ .CommonLabels.severity }}\
{{ if .CommonLabels.client }} {{ .CommonLabels.client }}{{ end }}{{ end }}
{{ define "dashgen.message" }}{{ range .Alerts }}
*{{ .Annotations.summary }}*
{{ .Annotations.description }}
Runbook: {{ .Annotations.runbook_url }}{{ if .PanelURL }} | Panel: {{ .PanelURL }}{{ end }}
Team: {{ .Labels.team }} | Severity: {{ .Labels.severity }}
{{ end }}{{ end }}"""

ROUTING = routing(
    contact_points=[
        contact_point("slack", config="slack"),
        contact_point("oncall", config="oncall"),
    ],
    receiver="slack",
    group_by=["alert", "severity", "client", "exchange"],
    routes=[
        route("oncall", match={"severity": "critical"}, continue_=True),
        route("slack", match={"severity": "critical"}),
        route("slack", match={"alert": "SpreadOutOfBand", "severity": "warning"}, mute=[LOW_LIQUIDITY]),
    ],
    templates=[template("desk", MESSAGE)],
)
