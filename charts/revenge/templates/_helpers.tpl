{{/* Chart name, truncated to the 63 characters of a DNS label. */}}
{{- define "revenge.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: the release name, prefixed to the chart name unless it contains it. */}}
{{- define "revenge.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "revenge.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "revenge.labels" -}}
helm.sh/chart: {{ include "revenge.chart" . }}
{{ include "revenge.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "revenge.selectorLabels" -}}
app.kubernetes.io/name: {{ include "revenge.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "revenge.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{/* The Secret with REVENGE_SECRET_KEY, DATABASE_URL, REDIS_URL and REVENGE_ADMIN_PASSWORD. */}}
{{- define "revenge.secretName" -}}
{{- if .Values.existingSecret }}
{{- .Values.existingSecret }}
{{- else if .Values.secret.create }}
{{- include "revenge.fullname" . }}
{{- else }}
{{- fail "revenge: set existingSecret to the name of your Secret, or secret.create=true with secret.databaseUrl" }}
{{- end }}
{{- end }}

{{- define "revenge.dataClaimName" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-data" (include "revenge.fullname" .)) }}
{{- end }}

{{/* Environment shared by every Revenge container. */}}
{{- define "revenge.env" -}}
{{- $secret := include "revenge.secretName" . -}}
- name: REVENGE_DATA_DIR
  value: /data
- name: REVENGE_PORT
  value: "8000"
- name: REVENGE_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: REVENGE_SECRET_KEY
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: DATABASE_URL
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: REDIS_URL
      optional: true
- name: REVENGE_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: REVENGE_ADMIN_PASSWORD
      optional: true
- name: REVENGE_TMDB_API_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: REVENGE_TMDB_API_KEY
      optional: true
- name: REVENGE_TMDB_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: REVENGE_TMDB_TOKEN
      optional: true
{{- range $key, $value := .Values.env }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/* Pod-level settings shared by every Revenge pod. */}}
{{- define "revenge.podSpecCommon" -}}
# A Service named like an app variable (REVENGE_PORT=tcp://...) would otherwise override it.
enableServiceLinks: false
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Annotations that roll the pods when the chart's own Secret or the env map change. */}}
{{- define "revenge.configChecksums" -}}
checksum/env: {{ toJson .Values.env | sha256sum }}
{{- if and (not .Values.existingSecret) .Values.secret.create }}
checksum/secret: {{ toJson .Values.secret | sha256sum }}
{{- end }}
{{- end }}

{{- define "revenge.dataVolume" -}}
- name: data
{{- if .Values.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "revenge.dataClaimName" . }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}

{{/* The media library; include only when media.existingClaim is set. */}}
{{- define "revenge.mediaVolume" -}}
- name: media
  persistentVolumeClaim:
    claimName: {{ .Values.media.existingClaim }}
    readOnly: {{ .Values.media.readOnly }}
{{- end }}

{{- define "revenge.mediaVolumeMount" -}}
- name: media
  mountPath: {{ .Values.media.mountPath }}
  readOnly: {{ .Values.media.readOnly }}
{{- end }}
