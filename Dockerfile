# syntax=docker/dockerfile:1
# scribe-proxy as a sidecar: build with the dev toolchain, run with production dependencies only.

# The current Node LTS, pinned to the exact version .ci/run tests on (NODE_LTS there).
FROM node:26.12.1-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script builds, and the source is not copied yet (the only
# dependency with an install script, esbuild, merely checks its platform binary, installed here).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY test ./test
RUN npm run build

# Production dependencies only, installed apart so the runtime image needs no npm.
FROM node:26.12.1-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM node:26.12.1-trixie-slim AS runtime
# No package manager at run time: nothing in the image can fetch or run new code.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
ENV NODE_ENV=production \
    PROXY_HOST=0.0.0.0 \
    PROXY_PORT=8080 \
    ADMIN_HOST=127.0.0.1 \
    ADMIN_PORT=8081 \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/cli ./dist/cli
RUN mkdir -p /data && chown 1000:1000 /data
# The proxy listens on all interfaces inside the container: set PROXY_CLIENT_TOKEN unless only
# containers you trust share its network. The admin listener stays on loopback unless you move it.
# A numeric user (the image's `node`, uid 1000), so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.ADMIN_PORT||8081)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The bundled command (scripts/bundle.js): it starts in half the time and memory of dist/src's.
# No V8 heap flags: under a memory limit (the manifests set one) Node sizes V8's heap to it, and a
# flag would override that (docs/performance.md, "After traffic").
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]

# A self-contained demo (docker compose --profile sandbox up): the sandbox needs the dev
# dependencies (cognito-local) and the test servers, so it runs from the build stage.
FROM build AS sandbox
ENV AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
USER 1000:1000
EXPOSE 8080 8081
ENTRYPOINT ["node", "dist/src/cli/main.js", "sandbox", "--host", "0.0.0.0"]
