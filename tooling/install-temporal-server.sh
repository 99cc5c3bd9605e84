#!/usr/bin/env bash
# Installs the parts of a real Temporal cluster for `npm run test:cluster` (test/deploy/cluster.test.ts):
#   .tools/bin/temporal-server     the Temporal server (go.temporal.io/server/cmd/server)
#   .tools/bin/temporal-sql-tool   its schema tool (go.temporal.io/server/cmd/tools/sql)
#   .tools/temporal-server/        the module's PostgreSQL schemas and the server image's config template
# and PostgreSQL from Debian when no initdb is found. No Docker image is involved: the server builds
# from the Go module proxy, at the version pinned in package.json ("temporalServer"), which is also the
# temporalio/server image tag docker-compose.yml runs. Idempotent: a build of the pinned version is
# reused (a stamp file records it), so only the first run pays the ~5 minute Go build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.tools/bin"
share_dir="$root/.tools/temporal-server"
stamp="$share_dir/.version"

version="$(node -p 'require(process.argv[1]).temporalServer.version' "$root/package.json")"
module="go.temporal.io/server@v$version"

install_postgresql() {
  if command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    return
  fi
  if ! command -v apt-get >/dev/null 2>&1 || [[ "$(id -u)" != 0 ]]; then
    echo "install-temporal-server: PostgreSQL (initdb, postgres) is missing; install it, e.g. 'apt-get install -y postgresql'." >&2
    exit 1
  fi
  echo "Installing PostgreSQL from Debian (apt-get install postgresql)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

install_postgresql

if [[ -f "$stamp" && "$(cat "$stamp")" == "$version" && -x "$bin_dir/temporal-server" && -x "$bin_dir/temporal-sql-tool" ]]; then
  echo "Temporal server $version already built in .tools/bin (temporal-server, temporal-sql-tool)"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-temporal-server: Go is needed to build the Temporal server $version from the Go module proxy." >&2
  echo "  Install Go 1.24 or newer (https://go.dev/dl/ or 'apt-get install golang'), then run 'npm run install:cluster' again." >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$bin_dir" "$share_dir"
echo "Building the Temporal server $version with $(go version | cut -d' ' -f3) (first time: about 5 minutes)"
start=$SECONDS
# Outside any module, `go install pkg@version` uses exactly the module's own go.mod (reproducible).
# Its ~150 "go: downloading" lines go to a log that is shown only when the build fails.
if ! (cd "$work" && GOBIN="$work/bin" GOFLAGS=-buildvcs=false go install \
  "go.temporal.io/server/cmd/server@v$version" "go.temporal.io/server/cmd/tools/sql@v$version") \
  >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" >&2
  echo "install-temporal-server: building the Temporal server $version failed (output above)." >&2
  exit 1
fi
install -m 0755 "$work/bin/server" "$bin_dir/temporal-server"
install -m 0755 "$work/bin/sql" "$bin_dir/temporal-sql-tool"

# The schemas and the config template ship in the module: copy them, so a cleaned Go cache does not
# break the test.
module_dir="$(cd "$work" && go mod download -json "$module" | node -e 'let s="";process.stdin.on("data",(d)=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')"
rm -rf "$share_dir/schema" "$share_dir/docker"
mkdir -p "$share_dir/schema" "$share_dir/docker"
cp -R "$module_dir/schema/postgresql" "$share_dir/schema/"
cp "$module_dir/docker/config_template.yaml" "$share_dir/docker/"
chmod -R u+w "$share_dir"
echo "$version" > "$stamp"
echo "Built the Temporal server $version into .tools/bin in $((SECONDS - start)) s"
