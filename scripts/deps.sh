#!/usr/bin/env bash
# Installs the Debian packages Harrier and its tests use (idempotent; quick when they are already there).
set -euo pipefail
# crun/runc run container tasks; docker-registry, skopeo, busybox-static and apache2-utils (htpasswd) let the tests
# build images and serve them from a registry of their own on 127.0.0.1; nftables and the CNI plugins carry container
# networking, iperf3 measures it; dig (dnsutils) queries Harrier's DNS in tests, dnsperf and wrk measure DNS and VIPs;
# haproxy is the balancer harrier lb drives (nothing starts on install: tests start their own on 127.0.0.1).
need=(python3 procps util-linux curl iproute2 nftables tar gzip unzip crun runc docker-registry skopeo busybox-static apache2-utils containernetworking-plugins iperf3 dnsutils dnsperf wrk haproxy)
missing=()
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "Installing Debian packages: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v dotnet >/dev/null; then
  echo "The .NET 10 SDK is required (dotnet on PATH)." >&2
  exit 1
fi
