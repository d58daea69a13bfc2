#!/usr/bin/env bash
# Copies the CRD that the build generates (crd-generator-maven-plugin, phase process-classes) to every
# place that installs it: crds/ (committed), the Helm chart's crds/ and deploy/crds/. CrdUpToDateTest
# and DeployManifestsTest fail until the copies are identical.
set -euo pipefail
cd "$(dirname "$0")/.."
file=campaignmonitorinstances.cloudelements.io-v1.yml
mvn -B -q process-classes
for dir in crds helm/campaign-monitor-operator/crds deploy/crds; do
  mkdir -p "$dir"
  cp "target/classes/META-INF/fabric8/$file" "$dir/$file"
  echo "updated $dir/$file"
done
