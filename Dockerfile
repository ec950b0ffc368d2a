# llmlens server with its embedded SQLite store and the built dashboard.
#   docker build -t llmlens .
#   docker run -p 4380:4380 -v llmlens-data:/data -e LLMLENS_API_KEYS=... llmlens
# Add -p 4317:4317 -e LLMLENS_GRPC_PORT=4317 for OTLP/gRPC.

# The dashboard is built with the full dev toolchain (Vite, SvelteKit), then only its static
# output is kept.
FROM node:20-bookworm-slim AS dashboard
WORKDIR /app
COPY package.json package-lock.json ./
COPY spec/package.json spec/
COPY server/package.json server/
COPY fake-provider/package.json fake-provider/
COPY bench/package.json bench/
COPY sdk/typescript/package.json sdk/typescript/
COPY dashboard/package.json dashboard/
RUN npm ci --no-audit --no-fund
COPY spec spec
COPY sdk/typescript sdk/typescript
COPY dashboard dashboard
RUN npm run build -w dashboard

FROM oven/bun:1.4.4-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY spec/package.json spec/
COPY server/package.json server/
COPY fake-provider/package.json fake-provider/
COPY bench/package.json bench/
COPY sdk/typescript/package.json sdk/typescript/
COPY dashboard/package.json dashboard/
RUN bun install --production --ignore-scripts
COPY spec spec
COPY server server
COPY --from=dashboard /app/dashboard/build dashboard/build
ENV LLMLENS_HOST=0.0.0.0 LLMLENS_DB=/data/llmlens.db
EXPOSE 4380
VOLUME /data
RUN mkdir -p /data && chown bun:bun /data
USER bun
# The server itself, not `npm start`: the image carries a finished dashboard build.
CMD ["bun", "server/src/main.ts"]
