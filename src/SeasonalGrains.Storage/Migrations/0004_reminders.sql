-- Reminders for the ADO.NET reminder service.
-- grain_hash is the grain's signed 32-bit ring hash; silos read the reminders of their ring range.
-- period is in milliseconds (bigint: periods longer than int4 milliseconds are allowed).
CREATE TABLE orleans_reminder (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period        bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    CONSTRAINT orleans_reminder_pk PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminder_ring ON orleans_reminder (service_id, grain_hash);

INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadReminderRowsKey', $query$
SELECT r.grain_id      AS GrainId,
       r.reminder_name AS ReminderName,
       r.start_time    AS StartTime,
       r.period        AS Period,
       r.version       AS Version
FROM orleans_reminder AS r
WHERE r.service_id = @ServiceId
  AND r.grain_id = @GrainId
$query$);

INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadReminderRowKey', $query$
SELECT r.grain_id      AS GrainId,
       r.reminder_name AS ReminderName,
       r.start_time    AS StartTime,
       r.period        AS Period,
       r.version       AS Version
FROM orleans_reminder AS r
WHERE r.service_id = @ServiceId
  AND r.grain_id = @GrainId
  AND r.reminder_name = @ReminderName
$query$);

-- ReadRangeRows1Key: the ring range (BeginHash, EndHash] that does not wrap.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadRangeRows1Key', $query$
SELECT r.grain_id      AS GrainId,
       r.reminder_name AS ReminderName,
       r.start_time    AS StartTime,
       r.period        AS Period,
       r.version       AS Version
FROM orleans_reminder AS r
WHERE r.service_id = @ServiceId
  AND r.grain_hash > @BeginHash
  AND r.grain_hash <= @EndHash
$query$);

-- ReadRangeRows2Key: the wrapped ring range, above BeginHash or up to EndHash.
INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadRangeRows2Key', $query$
SELECT r.grain_id      AS GrainId,
       r.reminder_name AS ReminderName,
       r.start_time    AS StartTime,
       r.period        AS Period,
       r.version       AS Version
FROM orleans_reminder AS r
WHERE r.service_id = @ServiceId
  AND (r.grain_hash > @BeginHash OR r.grain_hash <= @EndHash)
$query$);

-- UpsertReminderRowKey: unconditional insert-or-replace; returns the new version as the ETag.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpsertReminderRowKey', $query$
INSERT INTO orleans_reminder AS r (
    service_id, grain_id, reminder_name, start_time, period, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = EXCLUDED.start_time,
    period = EXCLUDED.period,
    grain_hash = EXCLUDED.grain_hash,
    version = CASE WHEN r.version = 2147483647 THEN 0 ELSE r.version + 1 END
RETURNING r.version AS Version
$query$);

-- DeleteReminderRowKey: deletes only when the version (ETag) matches; true when a row was deleted.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteReminderRowKey', $query$
WITH deleted AS (
    DELETE FROM orleans_reminder
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId
      AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS deleted
$query$);

INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteReminderRowsKey', $query$
DELETE FROM orleans_reminder
WHERE service_id = @ServiceId
$query$);
