# WorkLink connector image. The connector runs TypeScript through tsx (a production dependency; there is
# no build step), so the runtime stage needs only production dependencies and the connector sources.
# Node 22 here: the Node 20 pins in package.json (jsforce 3.10.16, pg-boss 10) also run on 22.
# Several containers may share one PostgreSQL (DATABASE_URL): see "Running N replicas" in README.md.

FROM node:22-slim AS deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force

FROM node:22-slim AS runtime
WORKDIR /app
# DATA_DIR is only used without DATABASE_URL (single node, embedded PostgreSQL): keep it writable.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/home/node/data/postgres
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json tsconfig.json ./
COPY --chown=node:node connector/bin ./connector/bin
COPY --chown=node:node connector/src ./connector/src
USER node
EXPOSE 8080
# Liveness only (the process answers). Load balancers route on /readyz (database, Scope, Salesforce).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# exec form: node is PID 1 and receives SIGTERM directly (graceful shutdown)
CMD ["node", "connector/bin/connector.mjs", "serve"]
