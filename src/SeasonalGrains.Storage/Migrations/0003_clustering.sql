-- Cluster membership for the ADO.NET clustering provider.
--
-- One version row per deployment (the cluster id) guards every membership change: inserts and updates
-- succeed only when the caller read the current version, and bump it in the same statement. Heartbeats
-- (UpdateIAmAlivetimeKey) touch only the silo row, never the version. Addresses are stored as text.
-- Status values used below: 3 = Active, 6 = Dead.
CREATE TABLE orleans_membership_version (
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_membership_version_pk PRIMARY KEY (deployment_id)
);

CREATE TABLE orleans_membership (
    deployment_id   text        NOT NULL,
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NULL,
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT orleans_membership_pk PRIMARY KEY (deployment_id, address, port, generation)
);

-- InsertMembershipVersionKey: true when the version row was created, false when it already existed.
INSERT INTO orleansquery (querykey, querytext) VALUES ('InsertMembershipVersionKey', $query$
WITH created AS (
    INSERT INTO orleans_membership_version (deployment_id)
    VALUES (@DeploymentId)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS created
$query$);

-- MembershipReadAllKey: the version row outer-joined to every silo row of the deployment, so at least
-- one row comes back; StartTime is NULL when the deployment has no silo yet.
INSERT INTO orleansquery (querykey, querytext) VALUES ('MembershipReadAllKey', $query$
SELECT v.version         AS Version,
       m.address         AS Address,
       m.port            AS Port,
       m.generation      AS Generation,
       m.silo_name       AS SiloName,
       m.host_name       AS HostName,
       m.status          AS Status,
       m.proxy_port      AS ProxyPort,
       m.suspect_times   AS SuspectTimes,
       m.start_time      AS StartTime,
       m.i_am_alive_time AS IAmAliveTime
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$query$);

-- MembershipReadRowKey: as above, restricted to one silo (the restriction sits in the join so the
-- version row still comes back when the silo has no row).
INSERT INTO orleansquery (querykey, querytext) VALUES ('MembershipReadRowKey', $query$
SELECT v.version         AS Version,
       m.address         AS Address,
       m.port            AS Port,
       m.generation      AS Generation,
       m.silo_name       AS SiloName,
       m.host_name       AS HostName,
       m.status          AS Status,
       m.proxy_port      AS ProxyPort,
       m.suspect_times   AS SuspectTimes,
       m.start_time      AS StartTime,
       m.i_am_alive_time AS IAmAliveTime
FROM orleans_membership_version AS v
LEFT JOIN orleans_membership AS m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$query$);

-- InsertMembershipKey: bumps the version only when it equals @Version and the silo has no row yet, and
-- inserts the row from that same bump. The version row's lock serialises concurrent writers, so a
-- losing writer sees the new version and changes nothing.
INSERT INTO orleansquery (querykey, querytext) VALUES ('InsertMembershipKey', $query$
WITH bumped AS (
    UPDATE orleans_membership_version AS v
    SET version = v.version + 1,
        changed_at = now()
    WHERE v.deployment_id = @DeploymentId
      AND v.version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM orleans_membership AS m
          WHERE m.deployment_id = @DeploymentId
            AND m.address = @Address
            AND m.port = @Port
            AND m.generation = @Generation)
    RETURNING v.deployment_id
),
inserted AS (
    INSERT INTO orleans_membership (
        deployment_id, address, port, generation, silo_name, host_name,
        status, proxy_port, start_time, i_am_alive_time)
    SELECT b.deployment_id, @Address, @Port, @Generation, @SiloName, @HostName,
           @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped AS b
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted) AS inserted
$query$);

-- UpdateMembershipKey: locks the silo row first, then bumps the version only when it equals @Version
-- (the version the caller last read) and the row exists; the row update follows from that bump.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpdateMembershipKey', $query$
WITH target AS (
    SELECT m.deployment_id
    FROM orleans_membership AS m
    WHERE m.deployment_id = @DeploymentId
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
    FOR UPDATE
),
bumped AS (
    UPDATE orleans_membership_version AS v
    SET version = v.version + 1,
        changed_at = now()
    WHERE v.deployment_id = @DeploymentId
      AND v.version = @Version
      AND EXISTS (SELECT 1 FROM target)
    RETURNING v.deployment_id
),
updated AS (
    UPDATE orleans_membership AS m
    SET status = @Status,
        suspect_times = @SuspectTimes,
        i_am_alive_time = @IAmAliveTime
    FROM bumped AS b
    WHERE m.deployment_id = b.deployment_id
      AND m.address = @Address
      AND m.port = @Port
      AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated) AS updated
$query$);

-- UpdateIAmAlivetimeKey: heartbeat; never changes the version.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpdateIAmAlivetimeKey', $query$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
$query$);

-- GatewaysQueryKey: gateways of silos in the given status (Active) that expose a proxy port.
INSERT INTO orleansquery (querykey, querytext) VALUES ('GatewaysQueryKey', $query$
SELECT m.address    AS Address,
       m.proxy_port AS ProxyPort,
       m.generation AS Generation
FROM orleans_membership AS m
WHERE m.deployment_id = @DeploymentId
  AND m.status = @Status
  AND m.proxy_port > 0
$query$);

-- DeleteMembershipTableEntriesKey: removes the deployment's silo rows and its version row.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteMembershipTableEntriesKey', $query$
WITH silos AS (
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId
)
DELETE FROM orleans_membership_version
WHERE deployment_id = @DeploymentId
$query$);

-- CleanupDefunctSiloEntriesKey: removes rows of silos that are not Active and whose last heartbeat is
-- older than @IAmAliveTime. The version is left alone.
INSERT INTO orleansquery (querykey, querytext) VALUES ('CleanupDefunctSiloEntriesKey', $query$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND i_am_alive_time < @IAmAliveTime
  AND status <> 3
$query$);

-- CleanupDefunctSiloEntryKey: removes one Dead silo's row only while it still holds exactly the values
-- the caller read (start time, heartbeat, suspicions), so a concurrent change keeps the row.
INSERT INTO orleansquery (querykey, querytext) VALUES ('CleanupDefunctSiloEntryKey', $query$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND suspect_times IS NOT DISTINCT FROM @SuspectTimes
$query$);
