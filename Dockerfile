# llmlens server with its embedded SQLite store. Build: docker build -t llmlens .
# Run: docker run -p 4380:4380 -v llmlens-data:/data -e LLMLENS_API_KEYS=... llmlens
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
ENV LLMLENS_HOST=0.0.0.0 LLMLENS_DB=/data/llmlens.db
EXPOSE 4380
VOLUME /data
RUN mkdir -p /data && chown bun:bun /data
USER bun
CMD ["bun", "server/src/main.ts"]
