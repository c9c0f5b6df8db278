# A stand-in for Docker Hub's postgres image where it cannot be pulled, made by
# deploy/local-base-images.sh: Debian bookworm's PostgreSQL 15, with the official image's interface
# (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, PGDATA=/var/lib/postgresql/data, pg_isready on PATH).
ARG DEBIAN_IMAGE=localhost/debian:bookworm
FROM ${DEBIAN_IMAGE}
# No cluster at install time: the entry point makes one in the volume at first start.
RUN install -d /etc/postgresql-common \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-15 \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data \
 && install -d -o postgres -g postgres -m 2775 /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
# Fast shutdown, as the official image: SIGTERM would wait for every client to leave.
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
