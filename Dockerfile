# payment-sandbox as a container image: the Debian package on debian:12-slim.
#
# There is no container engine on the machines this project is built and
# tested on, so this file is never run there. Instead, every command that
# builds and installs the image is one CI runs outside it on every run:
#   - the build stage's RUN is the README's first command without its
#     final `serve` (tests/unit/packaging_test.cc fails when they differ);
#   - `cpack -G DEB` in the build directory and `apt-get install` of the
#     .deb are what scripts/deb-check runs from .ci/run, which then serves,
#     asks `payment-sandbox health` and stops the INSTALLED binary.
# Only the user and its /data directory are created here alone.
#
#   docker build -t payment-sandbox .
#   docker run --rm -p 8080:8080 payment-sandbox
#   docker run --rm -p 8080:8080 -v sandbox-data:/data -e PAYSANDBOX_DB=/data/sandbox.db payment-sandbox
#
# Every serve flag reads an environment variable (PAYSANDBOX_PORT,
# PAYSANDBOX_DB, ...; see `payment-sandbox serve --help`), or pass flags
# after the image name: `docker run ... payment-sandbox serve --no-auth`.

FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/install-deps && cmake -S . -B build && cmake --build build -j2 --target payment-sandbox
RUN cd build && cpack -G DEB

FROM debian:12-slim
COPY --from=build /src/build/payment-sandbox_*.deb /tmp/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends /tmp/payment-sandbox_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/payment-sandbox_*.deb \
 && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin sandbox \
 && install -d -o sandbox -g sandbox /data
USER sandbox
WORKDIR /data
# Every interface, so the published port reaches it; /data is optional: mount
# a volume there and set PAYSANDBOX_DB=/data/sandbox.db to keep state.
ENV PAYSANDBOX_HOST=0.0.0.0 \
    PAYSANDBOX_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 \
  CMD payment-sandbox health "http://127.0.0.1:${PAYSANDBOX_PORT}"
# Exec form: the binary is PID 1 and gets SIGTERM itself. It blocks SIGTERM
# and SIGINT and waits for them with sigwait, so PID 1's default of ignoring
# unhandled signals does not apply, and it stops within a second.
ENTRYPOINT ["payment-sandbox"]
CMD ["serve"]
