# Installs the Debian packages juesuan's scripts need, only those that are missing, quietly.
# Sourced by scripts/test and scripts/example.

# Browsers juesuan prints PDF with (crates/juesuan-cli/src/pdf.rs looks for the same names).
JUESUAN_BROWSERS="chromium|chromium-browser|google-chrome|google-chrome-stable|microsoft-edge"

# What the PDF output needs: a browser (unless JUESUAN_CHROMIUM names one) and a Chinese font.
pdf_deps() {
  if [ -z "${JUESUAN_CHROMIUM:-}" ]; then
    echo "chromium:$JUESUAN_BROWSERS"
  fi
  # Any Chinese font fontconfig knows will do (Chromium finds fonts through it).
  if ! fc-list :lang=zh-cn family 2>/dev/null | grep -q .; then
    echo "fonts-noto-cjk"
  fi
}

# ensure_packages SPEC...: SPEC is PACKAGE (present when dpkg has it installed) or
# PACKAGE:CMD1|CMD2 (present when one of those commands is on PATH).
ensure_packages() {
  local missing=() spec pkg cmds cmd found
  for spec in "$@"; do
    pkg=${spec%%:*}
    found=""
    if [[ $spec == *:* ]]; then
      cmds=${spec#*:}
      for cmd in ${cmds//|/ }; do
        if command -v "$cmd" >/dev/null 2>&1; then found=1; break; fi
      done
    elif [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ]; then
      found=1
    fi
    [ -n "$found" ] || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "missing: ${missing[*]}; install them (no apt-get here), or build without PDF:" \
      "--format xlsx,html,json" >&2
    return 1
  fi
  local sudo="" log
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "installing ${missing[*]} ..." >&2
  log=$(mktemp)
  if ! { $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "could not install ${missing[*]}" >&2
    return 1
  fi
  rm -f "$log"
}
