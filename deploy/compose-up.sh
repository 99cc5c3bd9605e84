#!/bin/sh
# Builds the image of this commit ONCE, tags it <package version>-<git commit> (every build keeps its
# own tag, so the one before is there to roll back to), then starts or updates the stack with it.
#
#   deploy/compose-up.sh     # build this commit, record its tag in .env, run it
#   # roll back: LIFECYCLE_IMAGE_TAG=<an older tag> in .env (docker image ls staffbase-lifecycle), then
#   docker compose up -d --no-build
#
# A tag names a commit only if the build context is that commit: a tree with uncommitted changes is
# refused (set ALLOW_DIRTY=1 to build it anyway, tagged …-dirty).
# Upgrades with runs in flight: see README "Running on a cluster" (stop the old worker before the new
# one polls; never --scale or a rolling update).
set -eu
cd "$(dirname "$0")/.."
version="$(node -p "require('./package.json').version")"
commit="$(git rev-parse --short=12 HEAD)"
tag="$version-$commit"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  if [ "${ALLOW_DIRTY:-}" != 1 ]; then
    echo "compose-up: uncommitted changes; commit them (or ALLOW_DIRTY=1 for a …-dirty image)" >&2
    exit 1
  fi
  tag="$tag-dirty"
fi
export LIFECYCLE_IMAGE_TAG="$tag"
echo "compose-up: building staffbase-lifecycle:$LIFECYCLE_IMAGE_TAG"
# Only the worker has a build section; the HR API runs the same image (pull_policy: never).
docker compose build worker
# .env records the tag that runs, so `docker compose ps|logs|restart` work without this script and
# a rollback is: set the older tag there, `docker compose up -d --no-build`.
touch .env
if grep -q '^LIFECYCLE_IMAGE_TAG=' .env; then
  sed -i "s/^LIFECYCLE_IMAGE_TAG=.*/LIFECYCLE_IMAGE_TAG=$tag/" .env
else
  printf 'LIFECYCLE_IMAGE_TAG=%s\n' "$tag" >> .env
fi
# Drain, then deploy: the old worker stops (SIGTERM, up to its stop_grace_period) before the new one
# starts polling, so no old worker ever picks up a run the new code moved on.
docker compose stop worker
docker compose up -d --no-build
echo "compose-up: running staffbase-lifecycle:$LIFECYCLE_IMAGE_TAG"
