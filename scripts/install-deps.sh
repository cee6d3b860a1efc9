#!/usr/bin/env bash
# Installs the Debian packages the local dataplane needs (root). Used by the README and CI.
#   containernetworking-plugins  the reference CNI plugins (ptp, host-local) that wire pods
#   nftables                     policy enforcement and Service translation
#   iproute2                     network namespaces and veths
#   dnsmasq-base                 the cluster DNS pod
#   util-linux, coreutils   setsid and timeout (the probe script spec runs the scripts cluster pods run)
#   busybox-static          its ash, the shell of the probe pods (the probe script spec runs in it too)
#   chromium, fonts-dejavu-core  the HTML report spec opens the report in headless Chromium (DejaVu has ✓ ✗)
set -Eeuo pipefail
if [ "$(id -u)" != 0 ]; then echo "run as root (sudo $0)" >&2; exit 3; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends \
  containernetworking-plugins nftables iproute2 dnsmasq-base procps util-linux coreutils busybox-static chromium fonts-dejavu-core >/dev/null
echo "Debian packages for the local dataplane and the browser spec are installed."
