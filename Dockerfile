# payment-sandbox as a container image: the portable binary (scripts/portable)
# on an empty base, with only the files it needs: about 6 MB as an OCI
# archive, 13 MB unpacked.
#
#   docker build -t payment-sandbox .
#   docker run --rm -p 8080:8080 payment-sandbox
#   docker run --rm -p 8080:8080 -v sandbox-data:/data -e PAYSANDBOX_DB=/data/sandbox.db payment-sandbox
#
# Every serve flag reads an environment variable (PAYSANDBOX_PORT,
# PAYSANDBOX_DB, ...; see `payment-sandbox serve --help`), or pass flags
# after the image name: `docker run ... payment-sandbox serve --no-auth`.
#
# The build stage needs a Debian 12 base from a registry. CI has none, so
# scripts/image builds this file with buildah and hands it the build stage's
# output instead (--build-context build=DIR, DIR made by the same
# scripts/portable and scripts/image-rootfs): everything from FROM scratch
# on is what CI builds, unpacks and runs (tests/image/check.sh).

FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN scripts/install-deps && scripts/image-rootfs "$(scripts/portable /tmp/portable | tail -n1)" /

FROM scratch
# /usr/bin/payment-sandbox, the loader and glibc libraries, /etc/passwd
# (user sandbox, 10001), /etc/nsswitch.conf, /etc/hosts, CA bundle, /data.
COPY --from=build /rootfs/ /
USER 10001:10001
WORKDIR /data
# Every interface, so the published port reaches it; /data is optional: mount
# a volume there and set PAYSANDBOX_DB=/data/sandbox.db to keep state.
ENV PAYSANDBOX_HOST=0.0.0.0 \
    PAYSANDBOX_PORT=8080
EXPOSE 8080
# No shell in the image: exec form, health's default URL is port 8080.
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 \
  CMD ["/usr/bin/payment-sandbox", "health"]
# Exec form: the binary is PID 1 and gets SIGTERM itself. It blocks SIGTERM
# and SIGINT and waits for them with sigwait, so PID 1's default of ignoring
# unhandled signals does not apply, and it stops within a second.
ENTRYPOINT ["/usr/bin/payment-sandbox"]
CMD ["serve"]
