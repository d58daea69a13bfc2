{{/*
Chart name, at most 63 characters.
*/}}
{{- define "cmo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name: <release>-<chart> unless the release name already contains the chart name.
Kept at 54 characters so that "<fullname>-simulator" is still a valid name.
*/}}
{{- define "cmo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 54 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 54 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cmo.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every resource.
*/}}
{{- define "cmo.labels" -}}
helm.sh/chart: {{ include "cmo.chart" . }}
{{ include "cmo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: campaign-monitor-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels of the operator pods.
*/}}
{{- define "cmo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cmo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end }}

{{/*
Selector labels of the simulator pods.
*/}}
{{- define "cmo.simulatorSelectorLabels" -}}
app.kubernetes.io/name: {{ include "cmo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: simulator
{{- end }}

{{- define "cmo.simulatorLabels" -}}
helm.sh/chart: {{ include "cmo.chart" . }}
{{ include "cmo.simulatorSelectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: campaign-monitor-operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cmo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "cmo.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "cmo.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "cmo.simulatorName" -}}
{{- printf "%s-simulator" (include "cmo.fullname" .) }}
{{- end }}

{{/*
Cloud Elements base URL the operator uses: the in-cluster simulator when it is enabled.
*/}}
{{- define "cmo.baseUrl" -}}
{{- if .Values.simulator.enabled }}
{{- printf "http://%s:%d/elements/api-v2" (include "cmo.simulatorName" .) (int .Values.simulator.port) }}
{{- else }}
{{- .Values.cloudElements.baseUrl }}
{{- end }}
{{- end }}

{{- define "cmo.allowPlainHttp" -}}
{{- if .Values.simulator.enabled }}true{{ else }}{{ .Values.cloudElements.allowPlainHttp }}{{ end }}
{{- end }}

{{/*
Security context of every container: non-root, read-only root file system, no capabilities.
*/}}
{{- define "cmo.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "cmo.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Fails the render on settings the operator would refuse at start-up.
*/}}
{{- define "cmo.validate" -}}
{{- if and (not .Values.simulator.enabled) (hasPrefix "http://" .Values.cloudElements.baseUrl) (not .Values.cloudElements.allowPlainHttp) }}
{{- fail "cloudElements.baseUrl is plain http: set cloudElements.allowPlainHttp=true (only for a test double), or use https" }}
{{- end }}
{{- if eq (int .Values.oauthCallback.port) (int .Values.managementPort) }}
{{- fail "oauthCallback.port must differ from managementPort: the OAuth callback never shares the management port" }}
{{- end }}
{{- end }}

{{/*
Rules of the operator in the namespaces it watches (a ClusterRole, or a Role in each).
*/}}
{{- define "cmo.rules" -}}
# The CampaignMonitorInstances (get: JOSDK re-reads a resource after a conflicting finalizer patch), their status
# and finalizers (update: needed to set blockOwnerDeletion on the output Secret's ownerReference).
- apiGroups:
    - cloudelements.io
  resources:
    - campaignmonitorinstances
  verbs:
    - get
    - list
    - watch
    - patch
# status: update too, for the OAuth callback's optimistic-locking PUT that spends a consent state exactly once.
- apiGroups:
    - cloudelements.io
  resources:
    - campaignmonitorinstances/status
  verbs:
    - patch
    - update
- apiGroups:
    - cloudelements.io
  resources:
    - campaignmonitorinstances/finalizers
  verbs:
    - update
# Referenced Secrets (read, and the cloudelements.io/in-use finalizer), the output Secrets and the OAuth code
# Secrets <name>-oauth-code that the callback writes (create, update; never deleted: garbage collection removes
# them through their ownerReference).
- apiGroups:
    - ""
  resources:
    - secrets
  verbs:
    - get
    - list
    - watch
    - create
    - update
    - patch
- apiGroups:
    - ""
  resources:
    - events
  verbs:
    - create
    - patch
{{- end }}
