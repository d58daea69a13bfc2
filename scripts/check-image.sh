#!/usr/bin/env bash
# Builds the container image from the Dockerfile with podman and runs it, with no registry at all:
#   1. installs podman, runc and mmdebstrap (Debian) when missing;
#   2. makes the two base images the Dockerfile names locally with mmdebstrap (Debian bookworm: a JDK
#      with Maven for the build stage, a JRE with the distroless "nonroot" user for the runtime stage),
#      imports them with `podman import` under the Dockerfile's base names (once; they are kept);
#   3. podman build --pull=never, with ~/.m2 mounted so that Maven needs no download it already made;
#   4. checks the image's config (numeric non-root user, entrypoint, JVM flags) and runs it: --help
#      (exit 0, its classes from the class-data sharing archive), a bad option (exit 2), the JVM's heap
#      under a 512 MiB limit, and the demo when the jar has one, each with a read-only root file system,
#      no capabilities and no network.
# The base images are stand-ins for the real ones (eclipse-temurin Maven, distroless Java); the image
# built here is for the checks only. Set REBUILD_BASE_IMAGES=1 to make the bases anew.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
WORK=target/image
mkdir -p "$WORK"
checks=0
failures=0
step() { printf '\n== %s\n' "$*"; }
ok() { checks=$((checks + 1)); printf '   ok: %s\n' "$*"; }
bad() { checks=$((checks + 1)); failures=$((failures + 1)); printf '   FAILED: %s\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - start )) s"; }

step "installing podman, runc, mmdebstrap"
need_apt=()
for pkg in podman runc mmdebstrap; do
  command -v "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
# On these machines podman needs runc (crun fails) and rlimits it is allowed to set.
cat >"$WORK/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
export CONTAINERS_CONF="$PWD/$WORK/containers.conf"
podman --version

build_base=$(sed -n 's/^FROM \([^ ]*\) AS build$/\1/p' Dockerfile)
runtime_base=$(grep '^FROM ' Dockerfile | tail -1 | cut -d' ' -f2)
[ -n "$build_base" ] && [ -n "$runtime_base" ] || { echo "cannot read the base images from the Dockerfile"; exit 1; }
PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
MMDEBSTRAP=(mmdebstrap --variant=essential --quiet
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/locale/*')

step "base images: $build_base and $runtime_base"
pids=()
if [ "${REBUILD_BASE_IMAGES:-0}" = 1 ] || ! podman image exists "$build_base"; then
  "${MMDEBSTRAP[@]}" --include=openjdk-17-jdk-headless,maven bookworm "$WORK/build-base.tar" \
    >"$WORK/mmdebstrap-build.log" 2>&1 &
  pids+=($!)
fi
if [ "${REBUILD_BASE_IMAGES:-0}" = 1 ] || ! podman image exists "$runtime_base"; then
  "${MMDEBSTRAP[@]}" --include=openjdk-17-jre-headless \
    --customize-hook='echo "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin" >>"$1/etc/passwd"' \
    --customize-hook='echo "nonroot:x:65532:" >>"$1/etc/group"' \
    --customize-hook='mkdir -p "$1/home/nonroot" && chown 65532:65532 "$1/home/nonroot"' \
    bookworm "$WORK/runtime-base.tar" >"$WORK/mmdebstrap-runtime.log" 2>&1 &
  pids+=($!)
fi
for pid in "${pids[@]}"; do
  wait "$pid" || { cat "$WORK"/mmdebstrap-*.log; echo "mmdebstrap failed"; exit 1; }
done
if [ -f "$WORK/build-base.tar" ]; then
  podman import --change "$PATH_ENV" "$WORK/build-base.tar" "$build_base" >/dev/null 2>&1 && rm -f "$WORK/build-base.tar"
fi
if [ -f "$WORK/runtime-base.tar" ]; then
  podman import --change "$PATH_ENV" "$WORK/runtime-base.tar" "$runtime_base" >/dev/null 2>&1 && rm -f "$WORK/runtime-base.tar"
fi
echo "   bases ready after $(elapsed)"

version=$(sed -n 's/^appVersion: "\(.*\)"$/\1/p' helm/campaign-monitor-operator/Chart.yaml)
image="localhost/campaign-monitor-operator:$version"
step "podman build -t $image"
mkdir -p "$HOME/.m2"
build_start=$(date +%s)
if podman build --pull=never --network=host -v "$HOME/.m2:/root/.m2" -t "$image" . >"$WORK/build.log" 2>&1; then
  ok "podman build --pull=never ($(( $(date +%s) - build_start )) s)"
else
  bad "podman build"; tail -40 "$WORK/build.log"
  echo "image checks: $((checks - failures)) of $checks passed"
  exit 1
fi

step "image configuration"
config=$(podman image inspect "$image" --format '{{.Config.User}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}|{{json .Config.Env}}')
IFS='|' read -r user entrypoint cmd env <<<"$config"
[ "$user" = "65532:65532" ] && ok "USER $user" || bad "USER is '$user', expected 65532:65532"
[ "$entrypoint" = '["/usr/bin/java","-XX:SharedArchiveFile=/app/campaign-monitor-operator.jsa","-jar","/app/campaign-monitor-operator.jar"]' ] \
  && ok "ENTRYPOINT $entrypoint" || bad "ENTRYPOINT is $entrypoint"
case "$cmd" in null|'[]') ok "no CMD: the default command runs the operator" ;; *) bad "CMD is $cmd" ;; esac
case "$env" in *MaxRAMPercentage*LOG_FORMAT=json*|*LOG_FORMAT=json*MaxRAMPercentage*) ok "JVM flags and JSON logs in ENV" ;; *) bad "ENV: $env" ;; esac
podman image ls "$image" --format '   size: {{.Size}}'

step "podman run"
RUN=(podman run --rm --network=none --read-only --tmpfs /tmp --cap-drop=ALL
  --security-opt=no-new-privileges --user 65532:65532)
if "${RUN[@]}" "$image" --help >"$WORK/help.txt" 2>&1 && grep -q 'Usage' "$WORK/help.txt"; then
  ok "--help exits 0 and prints the usage"
else
  bad "--help"; cat "$WORK/help.txt"
fi
# The class-data sharing archive of the build's training run: the entrypoint's JVM maps the jar's classes from it.
if "${RUN[@]}" -e JAVA_TOOL_OPTIONS=-Xlog:class+load=info "$image" --help >"$WORK/class-load.txt" 2>&1 \
  && grep -q 'io.cloudelements.operator.Main source: shared objects file (top)' "$WORK/class-load.txt"; then
  ok "the classes come from the image's class-data sharing archive"
else
  bad "the class-data sharing archive is not used"; grep -m5 -E 'cds|operator.Main ' "$WORK/class-load.txt"
fi
set +e
"${RUN[@]}" "$image" --no-such-option >"$WORK/bad-option.txt" 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] && ok "an unknown option exits 2" || { bad "an unknown option exited $rc"; cat "$WORK/bad-option.txt"; }
heap=$("${RUN[@]}" --memory=512m --entrypoint /usr/bin/java "$image" -XX:+PrintFlagsFinal -version 2>/dev/null \
  | awk '$2 == "MaxHeapSize" {print int($4 / 1048576)}')
if [ -n "$heap" ] && [ "$heap" -ge 300 ] && [ "$heap" -le 400 ]; then
  ok "MaxHeapSize ${heap} MiB under a 512 MiB limit (MaxRAMPercentage=75)"
else
  bad "MaxHeapSize '${heap}' MiB under a 512 MiB limit"
fi
if grep -qw demo "$WORK/help.txt"; then
  if timeout 300 "${RUN[@]}" "$image" demo >"$WORK/demo.txt" 2>&1; then
    ok "the demo runs to the end in the image ($(wc -l <"$WORK/demo.txt") lines)"
  else
    bad "the demo in the image"; tail -30 "$WORK/demo.txt"
  fi
else
  echo "   (the jar has no demo command yet: not run)"
fi

echo
echo "image checks took $(elapsed)"
echo "image checks: $((checks - failures)) of $checks passed"
[ "$failures" -eq 0 ]
