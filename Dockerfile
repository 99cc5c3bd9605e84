# One image for the worker and the HR API (docker-compose.yml picks the command).
# Debian (glibc), not Alpine: the Temporal SDK's native module does not run on musl.
# Node 22 (maintained LTS); the code also runs on Node 20, which `engines` still allows for laptops.
# test/deploy/cluster.test.ts replays this file's COPY/RUN steps without Docker and runs the result.

# ── build: compile TypeScript, pre-bundle the workflow code, build the HR console ───────────────────
FROM node:22.21.1-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: package.json's `prepare` compiles the CLI from sources not copied yet (the image runs
# dist/ instead). The dependencies' own install scripts only check (protobufjs, @swc/core: its binary
# comes as an optional package).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# tsconfig.build.json compiles only what runs in production (no test/, no tooling/); tsc fails the
# build on a type error; the bundle lets the worker start without webpack. The HR console's static
# assets (esbuild, from tsx's dev dependencies) go to dist/console, where the HR API serves them at `/`
# (tooling/build-console.ts is the one file of tooling/ in the build context: .dockerignore).
RUN npx tsc -p tsconfig.build.json --outDir dist \
 && npx tsx worker/bundle-workflows.ts dist/workflow-bundle.js \
 && npx tsx tooling/build-console.ts dist/console

# ── runtime: production dependencies and compiled code only, as a non-root user ───────────────────
FROM node:22.21.1-bookworm-slim AS runtime
# MALLOC_ARENA_MAX and NODE_OPTIONS: the worker's memory settings (config/worker-process.ts).
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    MALLOC_ARENA_MAX=2 \
    NODE_OPTIONS=--max-semi-space-size=8
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` (the CLI's compile for a checkout) needs the sources and esbuild, neither here.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# <package version>-<git commit>, from deploy/compose-up.sh through compose's build args: the image
# says which commit it runs (`docker inspect`), and the same value is its tag. Declared last: a new
# value each commit must not invalidate the cached `npm ci` layer above.
ARG LIFECYCLE_IMAGE_TAG=unknown
LABEL org.opencontainers.image.title="staffbase-lifecycle" \
      org.opencontainers.image.version="${LIFECYCLE_IMAGE_TAG}"
# No secrets here: every credential comes from the environment at run time (docker-compose.yml).
USER node
# 8080: HR API · 9464: worker metrics (Prometheus)
EXPOSE 8080 9464
CMD ["node", "dist/worker/main.js"]
