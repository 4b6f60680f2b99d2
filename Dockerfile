# The evbridge harness image: builds the workspace and runs `pnpm harness` as the non-root `node` user.
# Build and run with Redis beside it: `docker compose up --build --exit-code-from harness` (see docker-compose.yml).
FROM node:26-bookworm-slim

# Same pnpm as package.json's "packageManager" (test/compose.test.ts checks they agree).
RUN npm install --global pnpm@12.4.2 && pnpm --version

WORKDIR /app
RUN mkdir -p /reports && chown node:node /app /reports
USER node

# Manifests first: the dependency layer is rebuilt only when a manifest or the lockfile changes.
# Every workspace package's package.json must be listed here, or the frozen install sees a different workspace.
COPY --chown=node:node package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY --chown=node:node apps/coordinator/package.json apps/coordinator/
COPY --chown=node:node apps/worker/package.json apps/worker/
COPY --chown=node:node packages/bridge/package.json packages/bridge/
COPY --chown=node:node packages/driver/package.json packages/driver/
COPY --chown=node:node packages/drivers/package.json packages/drivers/
COPY --chown=node:node packages/metrics/package.json packages/metrics/
COPY --chown=node:node packages/protocol/package.json packages/protocol/
RUN pnpm install --frozen-lockfile

COPY --chown=node:node . .
RUN pnpm build

CMD ["pnpm", "harness", "--procs=5", "--duration=10s"]
