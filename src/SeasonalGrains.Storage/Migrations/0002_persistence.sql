-- Grain state for the ADO.NET grain storage provider.
--
-- Natural key: (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_extension), where a NULL
-- extension equals only a NULL extension. grain_type holds the state name the grain declares.
-- The key is made unique through an expression index, so that every statement below can use it both
-- for lookups and for INSERT ... ON CONFLICT: COALESCE folds NULL to '' and the IS NULL column keeps
-- a NULL extension apart from an empty one. The hash columns are kept for diagnostics only; no query
-- depends on them, so a change of hash function never hides a stored row.
CREATE TABLE orleans_grain_state (
    service_id         text        NOT NULL,
    grain_type         text        NOT NULL,
    grain_type_hash    integer     NOT NULL,
    grain_id_hash      integer     NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NULL,
    payload            bytea       NULL,
    version            integer     NOT NULL,
    modified_at        timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX orleans_grain_state_key ON orleans_grain_state (
    service_id,
    grain_type,
    grain_id_n0,
    grain_id_n1,
    (COALESCE(grain_id_extension, '')),
    (grain_id_extension IS NULL)
);

-- ReadFromStorageKey: zero or one row with PayloadBinary and Version.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadFromStorageKey', $query$
SELECT s.payload AS PayloadBinary,
       s.version AS Version
FROM orleans_grain_state AS s
WHERE s.service_id = @ServiceId
  AND s.grain_type = @GrainTypeString
  AND s.grain_id_n0 = @GrainIdN0
  AND s.grain_id_n1 = @GrainIdN1
  AND COALESCE(s.grain_id_extension, '') = COALESCE(@GrainIdExtensionString, '')
  AND (s.grain_id_extension IS NULL) = (@GrainIdExtensionString IS NULL)
$query$);

-- WriteToStorageKey: one statement, always one row with NewGrainStateVersion.
-- A NULL version inserts a first row (version 1) only when no row exists; a given version updates only
-- a row holding exactly that version and returns the next version. Any conflict returns NULL.
-- Versions stay within int4: after 2147483647 the next version is 1 (never equal to the given one).
INSERT INTO orleansquery (querykey, querytext) VALUES ('WriteToStorageKey', $query$
WITH inserted AS (
    INSERT INTO orleans_grain_state (
        service_id, grain_type, grain_type_hash, grain_id_hash,
        grain_id_n0, grain_id_n1, grain_id_extension, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash,
           @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT (service_id, grain_type, grain_id_n0, grain_id_n1,
                 (COALESCE(grain_id_extension, '')), (grain_id_extension IS NULL))
    DO NOTHING
    RETURNING version
),
updated AS (
    UPDATE orleans_grain_state AS s
    SET payload = @PayloadBinary,
        version = CASE WHEN s.version = 2147483647 THEN 1 ELSE s.version + 1 END,
        modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND s.service_id = @ServiceId
      AND s.grain_type = @GrainTypeString
      AND s.grain_id_n0 = @GrainIdN0
      AND s.grain_id_n1 = @GrainIdN1
      AND COALESCE(s.grain_id_extension, '') = COALESCE(@GrainIdExtensionString, '')
      AND (s.grain_id_extension IS NULL) = (@GrainIdExtensionString IS NULL)
      AND s.version = @GrainStateVersion
    RETURNING s.version
)
SELECT (SELECT version FROM inserted
        UNION ALL
        SELECT version FROM updated
        LIMIT 1) AS NewGrainStateVersion
$query$);

-- ClearStorageKey: keeps the row, drops the payload and bumps the version when the given version matches.
-- One row; its first column is the new version, or NULL on a version conflict.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ClearStorageKey', $query$
WITH cleared AS (
    UPDATE orleans_grain_state AS s
    SET payload = NULL,
        version = CASE WHEN s.version = 2147483647 THEN 1 ELSE s.version + 1 END,
        modified_at = now()
    WHERE s.service_id = @ServiceId
      AND s.grain_type = @GrainTypeString
      AND s.grain_id_n0 = @GrainIdN0
      AND s.grain_id_n1 = @GrainIdN1
      AND COALESCE(s.grain_id_extension, '') = COALESCE(@GrainIdExtensionString, '')
      AND (s.grain_id_extension IS NULL) = (@GrainIdExtensionString IS NULL)
      AND s.version = @GrainStateVersion
    RETURNING s.version
)
SELECT (SELECT version FROM cleared) AS NewGrainStateVersion
$query$);

-- DeleteStorageKey (used when the provider is set to delete state on clear): removes the row only when
-- the given version matches and returns version + 1 (never the given version); NULL on a conflict.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteStorageKey', $query$
WITH deleted AS (
    DELETE FROM orleans_grain_state AS s
    WHERE s.service_id = @ServiceId
      AND s.grain_type = @GrainTypeString
      AND s.grain_id_n0 = @GrainIdN0
      AND s.grain_id_n1 = @GrainIdN1
      AND COALESCE(s.grain_id_extension, '') = COALESCE(@GrainIdExtensionString, '')
      AND (s.grain_id_extension IS NULL) = (@GrainIdExtensionString IS NULL)
      AND s.version = @GrainStateVersion
    RETURNING s.version
)
SELECT (SELECT CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END FROM deleted) AS NewGrainStateVersion
$query$);
