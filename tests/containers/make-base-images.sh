#!/usr/bin/env bash
# Builds the Debian 12 base images the fdk-cpp Dockerfiles start from (debian:12 and
# debian:12-slim) without a container registry: debootstrap (minbase, as Debian's official
# images are) from the Debian archive the host's apt uses, then `docker import`.
# debian:12-slim is the same tree with documentation, man pages and locales removed and
# dpkg told to keep them out, as Debian's slim images are made.
# Tags that already exist are left alone.
#
#   tests/containers/make-base-images.sh [MIRROR]
set -euo pipefail

mirror=${1:-}
if [[ -z $mirror ]]; then
  # The host's apt source (deb822 or one-line form); Debian's CDN when none is found.
  mirror=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -oE 'https?://[^ ]+' | head -n1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi

have() { docker image inspect "$1" > /dev/null 2>&1; }
if have debian:12 && have debian:12-slim; then
  echo "base images: debian:12 and debian:12-slim already present"
  exit 0
fi
command -v debootstrap > /dev/null || { echo "make-base-images: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fdk-base-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/rootfs

echo "base images: debootstrap bookworm (minbase) from $mirror"
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}

# Container conventions of Debian's images: the archive, its updates and security sources;
# no daemons started by package scripts; apt keeps no downloaded packages.
rm -f "$root/etc/apt/sources.list"
cat > "$root/etc/apt/sources.list.d/debian.sources" << SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian*}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
# dpkg without fsync: an image layer is written in one go, and fsync is slow on overlay drivers.
echo force-unsafe-io > "$root/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"
chmod 0755 "$root/usr/sbin/policy-rc.d"
cat > "$root/etc/apt/apt.conf.d/docker-clean" << 'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
CONF
echo 'Acquire::GzipIndexes "true"; Acquire::CompressionTypes::Order:: "gz";' > "$root/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'APT::AutoRemove::SuggestsImportant "false";' > "$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/var/log/* "$root"/tmp/* "$root"/root/.cache
: > "$root/etc/hostname"
: > "$root/etc/resolv.conf"

import() { # import TAG: the rootfs as a one-layer image
  tar --numeric-owner -C "$root" -c . | docker import \
    --change 'CMD ["bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$1" > /dev/null
  echo "base images: $1 imported ($(docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%.1f MB", $1/1e6}'))"
}
have debian:12 || import debian:12

if ! have debian:12-slim; then
  cat > "$root/etc/dpkg/dpkg.cfg.d/docker" << 'CONF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
CONF
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/man/* "$root"/usr/share/groff/* "$root"/usr/share/info/* \
    "$root"/usr/share/lintian/* "$root"/usr/share/linda/*
  find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  import debian:12-slim
fi
