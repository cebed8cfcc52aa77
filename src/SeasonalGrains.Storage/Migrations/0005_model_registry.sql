-- The model registry: versions of LSTM models numbered per name (NAME@VERSION), with their files, and the log of
-- activations. The active version is the newest activation not rolled back; a rollback sets rolled_back_at on it.
-- Changes take a transaction-level advisory lock first (PostgresModelRegistry.LockKey), so they apply one at a time.
CREATE TABLE seasonal_model_version (
    name                 text             NOT NULL,
    version              integer          NOT NULL,
    fingerprint          text             NOT NULL,
    added_at             timestamptz      NOT NULL,
    trained_at           timestamptz      NOT NULL,
    dataset_name         text             NOT NULL,
    dataset_start        date             NOT NULL,
    train_end_day        integer          NOT NULL,
    validation_start_day integer          NOT NULL,
    training_data_sha256 text             NOT NULL,
    validation_pinball   double precision NULL,
    validation_mse       double precision NULL,
    validation_mean_wape double precision NULL,
    validation_coverage  double precision[] NOT NULL,
    validation_windows   integer          NOT NULL,
    horizon_days         integer          NOT NULL,
    CONSTRAINT seasonal_model_version_pk PRIMARY KEY (name, version),
    CONSTRAINT seasonal_model_version_positive CHECK (version >= 1)
);

-- The files of a version (model.json, weights.bin, training.csv, ...), written once with the version.
CREATE TABLE seasonal_model_file (
    name      text    NOT NULL,
    version   integer NOT NULL,
    file_name text    NOT NULL,
    content   bytea   NOT NULL,
    CONSTRAINT seasonal_model_file_pk PRIMARY KEY (name, version, file_name),
    CONSTRAINT seasonal_model_file_version FOREIGN KEY (name, version) REFERENCES seasonal_model_version (name, version)
);

CREATE TABLE seasonal_model_activation (
    seq            bigint      NOT NULL,
    name           text        NOT NULL,
    version        integer     NOT NULL,
    activated_at   timestamptz NOT NULL,
    rolled_back_at timestamptz NULL,
    CONSTRAINT seasonal_model_activation_pk PRIMARY KEY (seq),
    CONSTRAINT seasonal_model_activation_version FOREIGN KEY (name, version) REFERENCES seasonal_model_version (name, version)
);
