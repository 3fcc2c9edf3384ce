#!/usr/bin/env bash
# Debian packages the tests run as real third-party checkers: TeX (pdflatex, bibtex, biblatex,
# biber) for the .bib output, bibutils for the RIS output, poppler's pdftotext to read PDFs back,
# Chromium (driven by Playwright, never a downloaded browser) for the CV page, Hugo for the
# Hugo Blox publication pages.
# Idempotent: installs only what is missing.
set -euo pipefail
PKGS=(texlive-latex-base texlive-latex-recommended texlive-bibtex-extra biber bibutils poppler-utils hugo
      chromium fonts-dejavu-core)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "install-system-deps: apt-get install ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
