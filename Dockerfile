# One image for the worker and the HR API (docker-compose.yml picks the command).
# Debian (glibc), not Alpine: the Temporal SDK's native module does not run on musl.

# ── build: compile TypeScript and pre-bundle the workflow code ──────────────────────────────────────
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# tsc fails the build on a type error; the bundle lets the worker start without webpack.
RUN npx tsc -p tsconfig.json --outDir dist \
 && npx tsx worker/bundle-workflows.ts dist/workflow-bundle.js

# ── runtime: production dependencies and compiled code only, as a non-root user ───────────────────
FROM node:20.19.5-bookworm-slim AS runtime
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# No secrets here: every credential comes from the environment at run time (env_file: .env).
USER node
# 8080: HR API · 9464: worker metrics (Prometheus)
EXPOSE 8080 9464
CMD ["node", "dist/worker/main.js"]
