# drguard container image: the static musl binary of a release on distroless
# "static" (CA certificates for the AWS APIs, /etc/passwd with the nonroot user,
# no shell, no package manager). Nothing is compiled here: the release workflow
# (.github/workflows/release.yml) unpacks each Linux release archive's binary
# into dist/linux-<arch>/drguard, then builds and pushes both architectures:
#
#   docker buildx build --platform linux/amd64,linux/arm64 -t ghcr.io/drguard/drguard:VERSION .
#
# Run it with the working folder mounted:
#
#   docker run --rm -v "$PWD:/work" -w /work ghcr.io/drguard/drguard:VERSION audit --snapshot snapshot.json
FROM gcr.io/distroless/static-debian12:nonroot

LABEL org.opencontainers.image.title="drguard" \
      org.opencontainers.image.description="Audits an AWS warm-standby disaster-recovery design against its contract" \
      org.opencontainers.image.source="https://github.com/drguard/drguard" \
      org.opencontainers.image.licenses="Apache-2.0"

ARG TARGETARCH
COPY dist/linux-${TARGETARCH}/drguard /usr/local/bin/drguard

# 65532 is distroless's "nonroot" user.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/drguard"]
CMD ["--help"]
