{{/*
Names used across the templates. Kept to plain values, `if` and `include`, so that
tests/deploy-files.test.ts can render the chart without Helm.
*/}}

{{/* The Secret with what the values give (token, UI password, model keys, external URLs), or the user's own. */}}
{{- define "bytebot.secretName" -}}
{{- if .Values.existingSecret -}}{{ .Values.existingSecret }}{{- else -}}{{ .Release.Name }}-secrets{{- end -}}
{{- end -}}

{{/* The Secret made once at install with random values (token, UI password, database and Redis passwords). */}}
{{- define "bytebot.generatedSecretName" -}}
{{ .Release.Name }}-generated
{{- end -}}

{{/* Where BYTEBOT_TOKEN comes from: the user's Secret, else the values, else the generated one. */}}
{{- define "bytebot.tokenSecretName" -}}
{{- if .Values.existingSecret -}}{{ .Values.existingSecret }}{{- else if .Values.token -}}{{ .Release.Name }}-secrets{{- else -}}{{ .Release.Name }}-generated{{- end -}}
{{- end -}}

{{/* Where BYTEBOT_UI_PASSWORD comes from, in the same order. */}}
{{- define "bytebot.uiPasswordSecretName" -}}
{{- if .Values.existingSecret -}}{{ .Values.existingSecret }}{{- else if .Values.uiPassword -}}{{ .Release.Name }}-secrets{{- else -}}{{ .Release.Name }}-generated{{- end -}}
{{- end -}}

{{/* The chart's label value, e.g. bytebot-0.1.0. */}}
{{- define "bytebot.chart" -}}
{{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
